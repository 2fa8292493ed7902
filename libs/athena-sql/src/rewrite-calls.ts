import { binary, bodyOf, callOf, castTo, fn, num, str, stringLiteral, type Node } from './ast';
import { unsupported } from './errors';
import { jodaFormat, mysqlFormat, teradataFormat } from './formats';
import { refuseForm } from './refusals';
import { rewriteConcat } from './rewrite-operators';
import { reduceAggregate, renameAggregate } from './rewrite-aggregates';
import { rewriteFormat } from './rewrite-format';
import { JSON_CALL_REWRITES } from './rewrite-json';
import { arraySort, at, column, lambda, lambdaOf, LAMBDA_REWRITES, list, struct, zip, type Build } from './rewrite-lambdas';

const rewriteRowArgs = (args: Node[], build: Build) =>
  struct(
    args.map((value, i) => [`field${i}`, value] as const),
    build,
  );

export type { Build };

/**
 * The calls a macro can't give Athena's meaning to, rewritten by name: a format converted while it is a constant,
 * varargs, lambdas (DuckDB's macros can't take one), and the forms of a function the table refuses.
 */

type CallRewrite = (args: Node[], build: Build, node: Node) => Node;

/** Athena's date formats are converted while they are constants; a format computed by the query is refused. */
function convertFormat(name: string): CallRewrite {
  return (args, build) => {
    const [value, formatNode] = args as [Node, Node];
    const format = stringLiteral(formatNode);
    if (format === undefined || args.length !== 2)
      throw unsupported(`${name} with a format that is not a string literal`, `write the format as a literal, e.g. ${name}(x, '%Y-%m-%d')`, name);
    const parse = name === 'date_parse' || name === 'parse_datetime';
    const converted = (name === 'date_format' || name === 'date_parse' ? mysqlFormat : jodaFormat)(format, parse ? 'parse' : 'format', name);
    const call = build(fn(parse ? 'strptime' : 'strftime', [value, build(str(converted))]));
    return name === 'parse_datetime' ? build(castTo(call, 'timestamp with time zone')) : call;
  };
}

/** A regular expression's capturing groups: its opening parentheses, neither escaped, in a class, nor `(?`. */
export function groupCount(pattern: string): number {
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(' && pattern[i + 1] !== '?') groups++;
  }
  return groups;
}

const subscript = at;

/**
 * regexp_replace(s, p, x -> …): each match replaced by the lambda's value for its groups (x[1] the first). The text
 * between matches is `regexp_split_to_array`; the groups of every match, `regexp_extract_all(s, p, k)`.
 */
function regexpReplaceLambda(args: Node[], build: Build): Node {
  const [text, patternNode, fnNode] = args as [Node, Node, Node];
  const pattern = stringLiteral(patternNode);
  const f = lambdaOf(fnNode);
  if (pattern === undefined || !f || f.params.length !== 1)
    throw unsupported('regexp_replace with a function and a pattern that is not a string literal', 'write the pattern as a literal', 'regexp_replace');
  const i = column('athena_i');
  const groups = Array.from({ length: groupCount(pattern) }, (_, k) =>
    subscript(build(fn('regexp_extract_all', [text, patternNode, build(num(k + 1))])), i, build),
  );
  const replaced = subscript(build(fn('list_transform', [list([list(groups, build)], build), lambda(f.params, f.body)])), build(num(1)), build);
  const matches = build(fn('regexp_extract_all', [text, patternNode]));
  const replacement = build({
    case: {
      operand: null,
      whens: [[build(binary('lte', i, build(fn('len', [matches])))), build(fn('coalesce', [replaced, build(str(''))]))]],
      else_: build(str('')),
    },
  });
  const pieces = build(fn('regexp_split_to_array', [text, patternNode]));
  const joined = build(fn('list_transform', [pieces, lambda(['athena_piece', 'athena_i'], build(binary('concat', column('athena_piece'), replacement)))]));
  return build(fn('array_to_string', [joined, build(str(''))]));
}

/** current_timestamp(p) and localtimestamp(p): timestamps have milliseconds locally, so p must be 3. */
function precision(name: string): CallRewrite {
  return (args, _build, node) => {
    if (args.length > 0 && bodyOf(args[0] as Node)['value'] !== '3') refuseForm(name, `${name}(p)`);
    if (args.length > 0) bodyOf(node)['args'] = [];
    return node;
  };
}

/** Teradata's to_char, to_timestamp and to_date: the format converted while it is a constant. */
function teradata(name: 'to_char' | 'to_timestamp' | 'to_date'): CallRewrite {
  return (args, build) => {
    const [value, formatNode] = args as [Node, Node];
    const format = stringLiteral(formatNode);
    if (format === undefined || args.length !== 2)
      throw unsupported(`${name} with a format that is not a string literal`, `write the format as a literal, e.g. ${name}(x, 'yyyy-mm-dd')`, name);
    const converted = build(str(teradataFormat(format, name)));
    if (name === 'to_char') return build(fn('strftime', [value, converted]));
    const parsed = build(fn('strptime', [value, converted]));
    return build(castTo(parsed, name === 'to_date' ? 'date' : 'timestamp'));
  };
}

const CALL_REWRITES: Record<string, CallRewrite> = {
  ...JSON_CALL_REWRITES,
  to_char: teradata('to_char'),
  format: (args, build) => rewriteFormat(args, build, (form) => refuseForm('format', form)),
  to_milliseconds: (args, build) => build(fn('athena_to_milliseconds', args)),
  timezone: (args, build) => build(fn('athena_timezone', args)),
  current_timestamp: precision('current_timestamp'),
  localtimestamp: precision('localtimestamp'),
  to_timestamp: teradata('to_timestamp'),
  to_date: teradata('to_date'),
  date_format: convertFormat('date_format'),
  date_parse: convertFormat('date_parse'),
  format_datetime: convertFormat('format_datetime'),
  parse_datetime: convertFormat('parse_datetime'),
  // NULL when any argument is NULL, as Athena's (DuckDB's concat skips NULLs); arrays concatenate too.
  concat: (args, build, node) =>
    args.length > 0 ? args.slice(1).reduce((left, right) => rewriteConcat(build(binary('concat', left, right)), build), args[0] as Node) : node,
  concat_ws: (args, build, node) => (args.length === 2 ? build(fn('athena_concat_ws', args)) : node),
  regexp_replace: (args, build, node) => (lambdaOf(args[2]) ? regexpReplaceLambda(args, build) : node),
  ...LAMBDA_REWRITES,
  reduce_agg: (args, build) => reduceAggregate(args, build),
  // A weighted percentile (x, w, p) is refused; (x, p) and (x, ARRAY[p, …]) are the macro's.
  approx_percentile: (args, _build, node) => (args.length === 3 ? refuseForm('approx_percentile', 'approx_percentile(x, w, percentage)') : node),
  row: (args, build) => rewriteRowArgs(args, build),
  map: (args, build, node) => (args.length === 2 ? build(fn('athena_map', args)) : node),
  array_sort: arraySort,
  zip,
};

export function rewriteCall(node: Node, build: Build): Node {
  const call = callOf(node);
  if (!call) return node;
  const { name, args } = call;
  renameAggregate(node);
  const rewrite = CALL_REWRITES[name];
  if (rewrite) return rewrite(args, build, node);
  return node;
}
