import { binary, bodyOf, fn, isNode, kindOf, num, str, type Node } from './ast';
import { unsupported } from './errors';

/**
 * Athena's functions that take a lambda, in DuckDB's terms. DuckDB applies lambdas only through its list
 * functions (and its macros can't take one), so each is written out here: the lambda applied to one element, or
 * to several values at once through a one-element list of a struct whose fields stand for the lambda's parameters.
 */

export type Build = (node: Node) => Node;
type LambdaRewrite = (args: Node[], build: Build) => Node;

export interface Lambda {
  params: string[];
  body: Node;
}

/** A lambda's parameters and body. */
export function lambdaOf(node: Node | undefined): Lambda | undefined {
  if (!node || kindOf(node) !== 'lambda') return undefined;
  const lambda = bodyOf(node);
  const params = (Array.isArray(lambda['parameters']) ? lambda['parameters'] : []).map((p: { name?: string }) => String(p.name ?? ''));
  return { params, body: lambda['body'] as Node };
}

/** A lambda node with these parameters and body, as the parser writes one. */
export function lambda(params: readonly string[], body: Node): Node {
  return { lambda: { parameters: params.map((name) => ({ name, quoted: false, trailing_comments: [] })), body, colon: false, parameter_types: [] } };
}

export const column = (name: string, table?: string): Node => ({
  column: {
    name: { name, quoted: false, trailing_comments: [] },
    table: table ? { name: table, quoted: false, trailing_comments: [] } : null,
    join_mark: false,
    trailing_comments: [],
  },
});

export const list = (items: Node[], build: Build) => build({ array_func: { expressions: items, bracket_notation: true, use_list_keyword: false } });
export const at = (node: Node, index: Node, build: Build) => build({ subscript: { this: node, index } });
/** A DuckDB struct `{'name': value, …}` (the parser's curly-brace map, which it prints as such). */
export const struct = (fields: ReadonlyArray<readonly [string, Node]>, build: Build) =>
  build({
    map_func: { keys: fields.map(([name]) => build(str(name))), values: fields.map(([, value]) => value), curly_brace_syntax: true, with_map_keyword: false },
  });

/** A copy of the body with each parameter (an unqualified column of that name) replaced by an expression. */
function substituted(node: unknown, replacements: ReadonlyMap<string, Node>): unknown {
  if (Array.isArray(node)) return node.map((n) => substituted(n, replacements));
  if (!isNode(node)) return node;
  if (kindOf(node) === 'column') {
    const body = bodyOf(node);
    const name = (body['name'] as { name?: string } | undefined)?.name ?? '';
    if (body['table'] == null && replacements.has(name)) return replacements.get(name);
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substituted(value, replacements)]));
}

/**
 * The lambda applied to these values: `list_transform([{p0: v0, p1: v1}], athena_p -> body[x := athena_p.p0, …])[1]`,
 * so each value is computed once, whatever the body does with it.
 */
export function apply(f: Lambda, values: readonly Node[], build: Build): Node {
  if (f.params.length !== values.length)
    throw unsupported(
      `a lambda of ${f.params.length} parameters where ${values.length} are given`,
      'give the lambda as many parameters as the function passes',
    );
  const fields = values.map((value, i) => [`p${i}`, value] as [string, Node]);
  const body = substituted(f.body, new Map(f.params.map((p, i) => [p, column(`p${i}`, 'athena_p')]))) as Node;
  return at(build(fn('list_transform', [list([struct(fields, build)], build), lambda(['athena_p'], body)])), build(num(1)), build);
}

/** The lambda argument at `index`, or a refusal naming the function. */
function lambdaArg(name: string, args: Node[], index: number): Lambda {
  const f = lambdaOf(args[index]);
  if (!f) throw unsupported(`${name} without a lambda expression`, `write the function as x -> …`, name);
  return f;
}

/** `list_transform(range(1, n + 1), i -> …)`: one value per position of a list of n elements. */
const positions = (n: Node, each: (i: Node) => Node, build: Build) =>
  build(fn('list_transform', [build(fn('range', [build(num(1)), build(binary('add', n, build(num(1))))])), lambda(['athena_i'], each(column('athena_i')))]));

/**
 * array_sort(a, (x, y) -> …): an insertion sort, each element placed before the first one it compares below (Java's
 * sort places it so for a consistent comparator, and Trino's examples with NULL-first comparators come out the same).
 */
function arraySortComparator(args: Node[], build: Build): Node {
  const f = lambdaArg('array_sort', args, 1);
  const acc = column('athena_acc');
  const x = at(column('athena_x'), build(num(1)), build);
  const below = build(
    fn('list_transform', [
      acc,
      lambda(['athena_y'], build(binary('lt', build(fn('athena_comparison', [apply(f, [x, column('athena_y')], build)])), build(num(0))))),
    ]),
  );
  const p = build(
    fn('coalesce', [build(fn('list_position', [below, { boolean: { value: true } }])), build(binary('add', build(fn('len', [acc])), build(num(1))))]),
  );
  const before = build(fn('list_slice', [acc, build(num(1)), build(binary('sub', p, build(num(1))))]));
  const after = build(fn('list_slice', [acc, p, build(fn('len', [acc]))]));
  const insert = lambda(['athena_acc', 'athena_x'], build(fn('list_concat', [build(fn('list_concat', [before, column('athena_x')])), after])));
  const singletons = build(fn('list_transform', [column('athena_a'), lambda(['athena_e'], list([column('athena_e')], build))]));
  const sorted = build({
    case: {
      operand: null,
      whens: [[build(binary('eq', build(fn('len', [column('athena_a')])), build(num(0)))), column('athena_a')]],
      else_: build(fn('list_reduce', [singletons, insert])),
    },
  });
  return at(build(fn('list_transform', [list([args[0] as Node], build), lambda(['athena_a'], sorted)])), build(num(1)), build);
}

/** The booleans a predicate gives for each element, for any_match, all_match and none_match (macros `athena_*`). */
const matches = (name: string) => (args: Node[], build: Build) =>
  build(fn(`athena_${name}`, [build(fn('list_transform', [args[0] as Node, lambda(lambdaArg(name, args, 1).params, lambdaArg(name, args, 1).body)]))]));

/** zip_with(a, b, (x, y) -> …): the lambda of each position's pair; the shorter list padded with NULLs. */
function zipWith(args: Node[], build: Build): Node {
  const f = lambdaArg('zip_with', args, 2);
  const [a, b] = args as [Node, Node];
  const n = build(fn('greatest', [build(fn('len', [a])), build(fn('len', [b]))]));
  return positions(n, (i) => apply(f, [at(a, i, build), at(b, i, build)], build), build);
}

/** A map's entries as a list of {key, value}, each mapped by `each`, and back into a map. */
const entries = (m: Node, each: (entry: Node) => Node, build: Build) =>
  build(fn('map_from_entries', [build(fn('list_transform', [build(fn('athena_map_entries', [m])), lambda(['athena_e'], each(column('athena_e')))]))]));

function mapFilter(args: Node[], build: Build): Node {
  const f = lambdaArg('map_filter', args, 1);
  const kept = build(
    fn('list_filter', [
      build(fn('athena_map_entries', [args[0] as Node])),
      lambda(['athena_e'], apply(f, [column('key', 'athena_e'), column('value', 'athena_e')], build)),
    ]),
  );
  return build(fn('map_from_entries', [kept]));
}

function transformValues(args: Node[], build: Build): Node {
  const f = lambdaArg('transform_values', args, 1);
  return entries(
    args[0] as Node,
    () =>
      struct(
        [
          ['key', column('key', 'athena_e')],
          ['value', apply(f, [column('key', 'athena_e'), column('value', 'athena_e')], build)],
        ],
        build,
      ),
    build,
  );
}

function transformKeys(args: Node[], build: Build): Node {
  const f = lambdaArg('transform_keys', args, 1);
  const pairs = build(
    fn('list_transform', [
      build(fn('athena_map_entries', [args[0] as Node])),
      lambda(
        ['athena_e'],
        struct(
          [
            ['key', apply(f, [column('key', 'athena_e'), column('value', 'athena_e')], build)],
            ['value', column('value', 'athena_e')],
          ],
          build,
        ),
      ),
    ]),
  );
  return build(fn('athena_unique_keys', [pairs]));
}

/** map_zip_with(m1, m2, (k, v1, v2) -> …): every key of either map (m1's first), with both values or NULL. */
function mapZipWith(args: Node[], build: Build): Node {
  const f = lambdaArg('map_zip_with', args, 2);
  const [m1, m2] = args as [Node, Node];
  const keys = build(fn('athena_distinct', [build(binary('concat', build(fn('map_keys', [m1])), build(fn('map_keys', [m2]))))]));
  const k = column('athena_k');
  const entry = struct(
    [
      ['key', k],
      ['value', apply(f, [k, at(m1, k, build), at(m2, k, build)], build)],
    ],
    build,
  );
  return build(fn('map_from_entries', [build(fn('list_transform', [keys, lambda(['athena_k'], entry)]))]));
}

/** reduce(a, s0, (s, x) -> …, s -> …): DuckDB's list_reduce from s0, then the output lambda. */
function reduce(args: Node[], build: Build): Node {
  const [array, initial] = args as [Node, Node];
  const input = lambdaArg('reduce', args, 2);
  const output = lambdaArg('reduce', args, 3);
  const state = build(fn('list_reduce', [array, lambda(input.params, input.body), initial]));
  return apply(output, [state], build);
}

export const LAMBDA_REWRITES: Record<string, LambdaRewrite> = {
  transform: (args, build) =>
    build(fn('list_transform', [args[0] as Node, lambda(lambdaArg('transform', args, 1).params, lambdaArg('transform', args, 1).body)])),
  filter: (args, build) => build(fn('list_filter', [args[0] as Node, lambda(lambdaArg('filter', args, 1).params, lambdaArg('filter', args, 1).body)])),
  any_match: matches('any_match'),
  all_match: matches('all_match'),
  none_match: matches('none_match'),
  zip_with: zipWith,
  map_filter: mapFilter,
  transform_values: transformValues,
  transform_keys: transformKeys,
  map_zip_with: mapZipWith,
  reduce,
};

/** array_sort with a comparator is a lambda rewrite; without one, the macro. */
export function arraySort(args: Node[], build: Build, node: Node): Node {
  return args.length === 2 ? arraySortComparator(args, build) : node;
}

/** zip(a, b, …): a list of rows {field0, field1, …}, as long as the longest list (the others padded with NULLs). */
export function zip(args: Node[], build: Build): Node {
  const n = build(
    fn(
      'greatest',
      args.map((a) => build(fn('len', [a]))),
    ),
  );
  return positions(
    n,
    (i) =>
      struct(
        args.map((a, k) => [`field${k}`, at(a, i, build)] as [string, Node]),
        build,
      ),
    build,
  );
}
