import { bodyOf, callOf, contains, fn, isNode, kindOf, num, type Node } from './ast';
import { FUNCTION_TABLE } from './functions';
import { TYPED_MACROS } from './macros';
import { at, column, lambda, list, struct, type Build } from './rewrite-lambdas';

/** The parser's kinds of aggregate calls (`sum`, `count_if`, `aggregate_function` …) and window functions. */
const AGGREGATE_KINDS: ReadonlySet<string> = new Set([
  ...(FUNCTION_TABLE.find((t) => t.chapter === 'aggregate')?.rows ?? []).map((r) => r.name.toLowerCase()),
  'aggregate_function',
  'window_function',
  'logical_and',
  'logical_or',
]);

const isAggregate = (node: Node) => AGGREGATE_KINDS.has(kindOf(node)) || AGGREGATE_KINDS.has(callOf(node)?.name ?? '');

/**
 * A call of a macro with typed overloads whose arguments hold an aggregate (`round(avg(x), 1)`, `sum(x) / count(x)`)
 * takes them bound first, as one struct in a one-element list: DuckDB chooses the overload by their types then. The
 * call may be a plain call, or a kind of its own (`floor`, `round`, `substring`): its fields are replaced alike.
 */
export function bindAggregateArguments(node: Node, build: Build): Node {
  const name = callOf(node)?.name ?? kindOf(node);
  if (!TYPED_MACROS.has(name) || isAggregate(node) || !contains(bodyOf(node), isAggregate)) return node;
  const bound = 'athena_args';
  const fields: Array<readonly [string, Node]> = [];
  const replaced = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(replaced);
    if (!isNode(value) || !contains(value, isAggregate)) return value;
    fields.push([`a${fields.length}`, value]);
    return build(column(`a${fields.length - 1}`, bound));
  };
  const body = bodyOf(node);
  const inner = build({ [kindOf(node)]: Object.fromEntries(Object.entries(body).map(([key, value]) => [key, replaced(value)])) });
  return at(build(fn('list_transform', [list([struct(fields, build)], build), lambda([bound], inner)])), build(num(1)), build);
}
