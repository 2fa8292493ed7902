import { bodyOf, callOf, castTo, contains, fn, isNode, kindOf, nul, num, str, stringLiteral, type Node } from './ast';
import { AthenaSqlError } from './errors';
import { unicodeString } from './literals';
import type { Build } from './rewrite-calls';
import { refuseForm } from './refusals';
import { struct } from './rewrite-lambdas';

/**
 * The operators and special forms whose meaning differs in DuckDB, rewritten to Athena's: division and modulo (by
 * zero, decimals), Unicode strings, EXTRACT's fields, IF without ELSE, CAST to VARCHAR, and DATE ± INTERVAL.
 */

/** a / b and a % b: Athena fails on a zero divisor and keeps decimals decimal (macros `athena_divide`, `athena_modulo`). */
export function rewriteArithmetic(node: Node, build: Build): Node {
  const kind = kindOf(node);
  const body = bodyOf(node);
  const [left, right] = kind === 'mod_func' ? [body['this'], body['expression']] : [body['left'], body['right']];
  if (!isNode(left) || !isNode(right)) return node;
  return build(fn(kind === 'div' ? 'athena_divide' : 'athena_modulo', [left, right]));
}

/** `U&'\0041' UESCAPE '#'`: the string it means (DuckDB has no Unicode strings). */
export function rewriteUnicodeString(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const text = stringLiteral(body['this'] as Node | undefined) ?? '';
  const escape = isNode(body['escape']) ? stringLiteral(body['escape']) : undefined;
  return build(str(unicodeString(text, escape)));
}

/** A literal: `X'…'` is a varbinary; `E'…'` strings are PostgreSQL's and DuckDB's, not Athena's. */
export function rewriteLiteral(node: Node, build: Build): Node {
  const body = bodyOf(node);
  if (body['literal_type'] === 'hex_string') return build(fn('unhex', [build(str(String(body['value'])))]));
  const utc =
    body['literal_type'] === 'timestamp'
      ? /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(?:UTC|Z|[+-]00:00)$/.exec(String(body['value']))
      : null;
  // TIMESTAMP '2012-10-31 01:00 UTC' (a time with a zone, the session's), which DuckDB reads with seconds only.
  if (utc) return build(castTo(build(str(`${utc[1]} ${utc[2]}${utc[3] ?? ':00'}+00`)), 'timestamp with time zone'));
  if (body['literal_type'] === 'escape_string') {
    throw new AthenaSqlError(
      'syntax',
      "syntax error: E'…' strings are not Athena SQL; in Athena a backslash in '…' is an ordinary character, and U&'\\000A' writes a code point",
    );
  }
  return node;
}

/** log(b, x), which the parser turns into log10(x) or log2(x) (Java's ln(x)/ln(b) differs from log10 in the last digit). */
export function rewriteLog(node: Node, build: Build): Node {
  const body = bodyOf(node);
  return isNode(body['base']) && isNode(body['this']) ? build(fn('log', [body['base'], body['this']])) : node;
}

/** EXTRACT's fields where DuckDB's meaning differs: DOW is ISO (Monday 1 … Sunday 7) in Athena. */
const EXTRACT_FUNCTIONS: Record<string, string> = {
  DayOfWeek: 'isodow',
  DayOfYear: 'dayofyear',
  YearOfWeek: 'isoyear',
  Millisecond: 'millisecond',
  DAY_OF_WEEK: 'isodow',
  DOW: 'isodow',
  DAY_OF_YEAR: 'dayofyear',
  DOY: 'dayofyear',
  DAY_OF_MONTH: 'day',
  YEAR_OF_WEEK: 'isoyear',
  YOW: 'isoyear',
};

export function rewriteExtract(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const field = body['field'] as string | { Custom?: string };
  const replacement = EXTRACT_FUNCTIONS[typeof field === 'string' ? field : String(field.Custom ?? '').toUpperCase()];
  return replacement && isNode(body['this']) ? build(fn(replacement, [body['this']])) : node;
}

/** overlay(s PLACING r FROM start [FOR n]): DuckDB has no OVERLAY; n defaults to r's length. */
export function rewriteOverlay(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const [text, replacement, from] = [body['this'], body['replacement'], body['from']] as Node[];
  const length = isNode(body['length']) ? body['length'] : build(fn('length', [replacement as Node]));
  return build(fn('athena_overlay', [text as Node, replacement as Node, from as Node, length]));
}

/** substr(s, start [, n]) and substring(s FROM start FOR n): a call, which DuckDB reads (it has no SUBSTR … FROM). */
export function rewriteSubstring(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const args = [body['this'], body['start'], body['length']].filter(isNode);
  return build(fn('substr', args));
}

/** normalize(s) is NFC; the other forms are refused by the function table. */
export function rewriteNormalize(node: Node, build: Build): Node {
  const body = bodyOf(node);
  if (isNode(body['form'])) {
    const form = String((bodyOf(body['form'])['name'] as { name?: string } | undefined)?.name ?? '').toUpperCase();
    if (form !== 'NFC') refuseForm('normalize', 'normalize(string, NFD | NFKC | NFKD)');
  }
  return build(fn('normalize', [body['this'] as Node]));
}

/** a[i]: Athena fails on an index out of the array or a key missing from the map (DuckDB gives NULL). */
export function rewriteSubscript(node: Node, build: Build): Node {
  const body = bodyOf(node);
  return isNode(body['this']) && isNode(body['index']) ? build(fn('athena_subscript', [body['this'], body['index']])) : node;
}

const isArrayConstructor = (node: unknown) => isNode(node) && kindOf(node) === 'array_func';
const isScalarLiteral = (node: unknown) => isNode(node) && (kindOf(node) === 'literal' || kindOf(node) === 'null');

const isStringLiteral = (node: unknown) => isNode(node) && stringLiteral(node) !== undefined;

/**
 * ARRAY[…] || element and element || ARRAY[…] (DuckDB concatenates lists with lists only); text with anything else
 * but text (`'a' || 1`, which DuckDB answers 'a1') fails as on Athena (macro athena_concat).
 */
export function rewriteConcat(node: Node, build: Build): Node {
  const { left, right } = bodyOf(node);
  if (isArrayConstructor(left) && isScalarLiteral(right)) return build(fn('list_append', [left as Node, right as Node]));
  if (isScalarLiteral(left) && isArrayConstructor(right)) return build(fn('list_prepend', [left as Node, right as Node]));
  // NULL || x is NULL (typed NULL by DuckDB, so left as it is); so is a chain that holds one.
  const isNull = (n: unknown): boolean =>
    isNode(n) && (kindOf(n) === 'null' || (kindOf(n) === 'concat' && (isNull(bodyOf(n)['left']) || isNull(bodyOf(n)['right']))));
  if ((isStringLiteral(left) && isStringLiteral(right)) || isNull(left) || isNull(right)) return node;
  return build(fn('athena_concat', [left as Node, right as Node]));
}

/** Operands that can't be NaN, or are compared as they are: columns (the lake's data has no NaN), literals. */
const PLAIN_KINDS = new Set(['column', 'literal', 'null', 'boolean', 'parameter', 'placeholder', 'star']);
const COMPARISONS: Readonly<Record<string, string>> = {
  eq: 'athena_eq',
  neq: 'athena_neq',
  lt: 'athena_lt',
  gt: 'athena_gt',
  lte: 'athena_lte',
  gte: 'athena_gte',
};

const mentionsNaN = (node: Node): boolean => contains(node, (n) => callOf(n)?.name === 'nan' || /^[+-]?nan$/i.test(stringLiteral(n) ?? ''));
const isConstant = (node: Node): boolean => !contains(node, (n) => kindOf(n) === 'column');

/**
 * A comparison with a computed operand (which can be NaN: 0e0 / 0, sqrt(-1), nan()): Athena's comparisons with NaN
 * are false (<> true), DuckDB's put NaN above every number and equal to itself (macros athena_eq …). A column
 * compared with a constant stays as it is (DuckDB prunes partitions and row groups by it), unless the constant
 * mentions NaN.
 */
export function rewriteComparison(node: Node, build: Build): Node {
  const { left, right } = bodyOf(node);
  if (!isNode(left) || !isNode(right)) return node;
  const plain = (n: Node) => PLAIN_KINDS.has(kindOf(n)) || (kindOf(n) === 'cast' && isStringLiteral(bodyOf(n)['this']));
  if (plain(left) && plain(right)) return node;
  if (isStringLiteral(left) || isStringLiteral(right)) return node;
  const columnAndConstant = (kindOf(left) === 'column' && isConstant(right)) || (kindOf(right) === 'column' && isConstant(left));
  if (columnAndConstant && !mentionsNaN(left) && !mentionsNaN(right)) return node;
  return build(fn(COMPARISONS[kindOf(node)] ?? 'athena_eq', [left, right]));
}

/** A row, ROW(a, b) or (a, b) in an array: Athena's fields are field0, field1 … (as it prints them). */
export function rewriteRow(node: Node, build: Build): Node {
  const values = (kindOf(node) === 'tuple' ? bodyOf(node)['expressions'] : bodyOf(node)['args']) as Node[];
  return struct(
    values.map((value, i) => [`field${i}`, value] as const),
    build,
  );
}

export function rewriteIf(node: Node): Node {
  if (bodyOf(node)['false_value'] == null) bodyOf(node)['false_value'] = nul();
  return node;
}

export function rewriteTypeof(node: Node, build: Build): Node {
  const text = stringLiteral(bodyOf(node)['this'] as Node | undefined);
  return text === undefined ? node : build(str(`varchar(${[...text].length})`));
}

const isNumber = (node: unknown) => isNode(node) && kindOf(node) === 'literal' && bodyOf(node)['literal_type'] === 'number';

/**
 * ± with an interval, and date - date: a DATE stays a DATE and takes no hours (macros athena_plus_interval,
 * athena_minus_interval); date - date is an interval of days (athena_minus). Numbers are left as they are.
 */
export function rewriteIntervalArithmetic(node: Node, build: Build): Node {
  const kind = kindOf(node);
  const { left, right } = bodyOf(node);
  if (!isNode(left) || !isNode(right)) return node;
  const interval = (n: Node) => kindOf(n) === 'interval';
  if (interval(right) && !interval(left)) return build(fn(kind === 'add' ? 'athena_plus_interval' : 'athena_minus_interval', [left, right]));
  if (kind === 'add' && interval(left) && !interval(right)) return build(fn('athena_plus_interval', [right, left]));
  if (kind === 'sub' && !interval(left) && !isNumber(left) && !isNumber(right)) return build(fn('athena_minus', [left, right]));
  return node;
}

/** The parts of a DAY TO SECOND interval's text ('1 02:03:04.5'), in seconds. */
const DAY_TO_SECOND = /^\s*(-)?(?:(\d+)\s+)?(?:(\d+)(?::(\d+)(?::(\d+(?:\.\d+)?))?)?)?\s*$/;

/** INTERVAL '1-2' YEAR TO MONTH and INTERVAL '1 02:03' DAY TO MINUTE, which DuckDB doesn't read: as months, or seconds. */
export function rewriteInterval(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const unit = body['unit'] as { type?: string; this?: string; expression?: string } | undefined;
  const text = stringLiteral(body['this'] as Node | undefined);
  if (unit?.type !== 'span' || text === undefined) return node;
  if (unit.this === 'Year') {
    const [, sign, years = '0', months = '0'] = /^\s*(-)?(\d+)(?:-(\d+))?\s*$/.exec(text) ?? [];
    return build(fn('to_months', [build(num((sign ? -1 : 1) * (Number(years) * 12 + Number(months))))]));
  }
  const parts = DAY_TO_SECOND.exec(text);
  if (!parts) throw new AthenaSqlError('syntax', `syntax error: invalid interval '${text}'`);
  const [, sign, days = '0', first = '0', second = '0', third = '0'] = parts;
  // Without days, the first number is the span's first unit (HOUR TO SECOND: '02:03:04').
  const [hours, minutes, seconds] = unit.this === 'Minute' ? ['0', first, second] : [first, second, third];
  const total = Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return build(fn('to_seconds', [build(num((sign ? -1 : 1) * total))]));
}
