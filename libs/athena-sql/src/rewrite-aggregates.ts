import { bodyOf, callOf, fn, isNode, kindOf, str, type Node } from './ast';
import { unsupported } from './errors';
import { lambda, lambdaOf, type Build } from './rewrite-lambdas';

/**
 * Aggregates the macros can't give (their DuckDB names, LISTAGG … WITHIN GROUP, reduce_agg's lambdas), and the
 * aggregates of a window: DuckDB takes no macro as a window function, so a window names DuckDB's own aggregate, or
 * is refused where no DuckDB aggregate gives Athena's answer.
 */

/** Aggregates DuckDB names otherwise (in a window too). */
const RENAMED: Record<string, string> = { bitwise_and_agg: 'bit_and', bitwise_or_agg: 'bit_or', bitwise_xor_agg: 'bit_xor', geometric_mean: 'geomean' };

/** The aggregates the macros give, by the DuckDB aggregate a window uses instead. */
const IN_A_WINDOW: Record<string, string> = {
  sum: 'system.main.sum',
  avg: 'system.main.avg',
  arbitrary: 'any_value',
  max_by: 'arg_max_null',
  min_by: 'arg_min_null',
  approx_percentile: 'quantile_disc',
};

/** Aggregates no DuckDB window function gives. */
const NOT_IN_A_WINDOW = new Set([
  'skewness',
  'kurtosis',
  'map_agg',
  'map_union',
  'multimap_agg',
  'approx_most_frequent',
  'numeric_histogram',
  'listagg',
  'reduce_agg',
  'checksum',
  'list_agg',
]);

/** An aggregate node's name and arguments, whether the parser made it a function or a node of its own (sum, avg …). */
function aggregateOf(node: Node): { name: string; args: Node[] } | undefined {
  const call = callOf(node);
  if (call) return call;
  const body = bodyOf(node);
  return typeof body['name'] === 'string' ? { name: body['name'].toLowerCase(), args: [body['this']].filter(isNode) } : { name: kindOf(node), args: [] };
}

/** bitwise_and_agg(x) → bit_and(x), its FILTER and DISTINCT kept. */
export function renameAggregate(node: Node): Node {
  const call = callOf(node);
  const renamed = call ? RENAMED[call.name] : undefined;
  if (renamed) bodyOf(node)['name'] = renamed;
  return node;
}

/** Window functions whose IGNORE NULLS DuckDB reads inside the parentheses, after the last argument. */
const IGNORING_NULLS = new Set(['first_value', 'last_value', 'nth_value', 'lag', 'lead']);

/**
 * `lag(x, 1) IGNORE NULLS OVER …` as DuckDB writes it, `lag(x, 1 IGNORE NULLS) OVER …`: the last argument is marked,
 * and the translation's text puts IGNORE NULLS after it (`withIgnoreNulls`); nth_value's offset must be 1 or more.
 */
function valueFunction(inner: Node, build: Build): void {
  const body = bodyOf(inner);
  if (kindOf(inner) === 'nth_value' && isNode(body['offset'])) body['offset'] = build(fn('athena_window_offset', [body['offset']]));
  if (body['ignore_nulls'] !== true) return;
  body['ignore_nulls'] = null;
  const last = ['default', 'offset', 'this'].find((field) => isNode(body[field]));
  if (last) body[last] = build(fn(IGNORE_NULLS_MARK, [body[last] as Node]));
}

/** The function the translation writes around an argument to be followed by IGNORE NULLS. */
export const IGNORE_NULLS_MARK = 'athena_ignore_nulls';

/** `f(x) OVER (…)` with Athena's f given by DuckDB's own aggregate; refused where there is none. */
export function rewriteWindow(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const inner = body['this'];
  if (!isNode(inner)) return node;
  if (IGNORING_NULLS.has(kindOf(inner))) valueFunction(inner, build);
  const aggregate = aggregateOf(inner);
  if (!aggregate) return node;
  const { name, args } = aggregate;
  if (NOT_IN_A_WINDOW.has(name)) throw unsupported(`${name}(…) OVER (…)`, 'aggregate in a subquery grouped by the partition, and join it back', name);
  if (name === 'approx_distinct') {
    body['this'] = build({ count: { this: args[0], star: false, distinct: true, filter: null } });
    return node;
  }
  const builtin = IN_A_WINDOW[name];
  if (!builtin) return node;
  // max_by(x, y, n) is DuckDB's arg_max(x, y, n) (the NULL-keeping arg_max_null takes no n).
  const withN = args.length === 3 && (name === 'max_by' || name === 'min_by');
  body['this'] = build(fn(withN ? (name === 'max_by' ? 'arg_max' : 'arg_min') : builtin, args));
  // avg of a decimal is a decimal on Athena, a double in DuckDB: refused when the argument is one.
  if (name !== 'avg' || !args[0]) return node;
  const refusal = build(
    fn('error', [build(str('avg of a decimal over a window: Athena averages decimals as decimals; write avg(CAST(x AS DOUBLE)) OVER (…)'))]),
  );
  const isDecimal = build(fn('starts_with', [build(fn('system.main.typeof', [args[0]])), build(str('DECIMAL'))]));
  return build({ case: { operand: null, whens: [[isDecimal, refusal]], else_: build(node) } });
}

/** LISTAGG(x, sep) WITHIN GROUP (ORDER BY …): DuckDB's string_agg(x, sep ORDER BY …). */
export function rewriteWithinGroup(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const inner = isNode(body['this']) ? body['this'] : undefined;
  if (!inner || kindOf(inner) !== 'list_agg') return node;
  const agg = bodyOf(inner);
  if (agg['on_overflow'] != null) throw unsupported('LISTAGG … ON OVERFLOW', 'leave out ON OVERFLOW: results over 1 MB are not truncated locally', 'listagg');
  return build({
    string_agg: {
      this: agg['this'],
      separator: agg['separator'] ?? build(str('')),
      order_by: body['order_by'],
      distinct: agg['distinct'] ?? false,
      filter: null,
    },
  });
}

/** reduce_agg(x, s0, (s, x) -> …, combine): DuckDB's list_reduce over the non-NULL values, from s0. */
export function reduceAggregate(args: Node[], build: Build): Node {
  const [value, initial, input] = args as [Node, Node, Node];
  const f = lambdaOf(input);
  if (!f) throw unsupported('reduce_agg without a lambda', 'write the input function as (s, x) -> …', 'reduce_agg');
  const values = build({
    aggregate_function: {
      name: 'list',
      args: [value],
      distinct: false,
      filter: build({ not: { this: build({ is_null: { this: value, not: false, postfix_form: false } }) } }),
    },
  });
  return build(fn('list_reduce', [values, lambda(f.params, f.body), initial]));
}
