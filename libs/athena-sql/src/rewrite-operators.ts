import { bodyOf, castTo, fn, isDate, isNode, kindOf, nul, num, str, stringLiteral, type Node } from './ast';
import { AthenaSqlError, unsupported } from './errors';
import { unicodeString } from './literals';
import { refuseForm, type Build } from './rewrite-calls';
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
  if (body['literal_type'] === 'escape_string') {
    throw new AthenaSqlError('syntax', "syntax error: E'…' strings are not Athena SQL; in Athena a backslash in '…' is an ordinary character, and U&'\\000A' writes a code point");
  }
  return node;
}

/** log(b, x), which the parser turns into log10(x) or log2(x) (Java's ln(x)/ln(b) differs from log10 in the last digit). */
export function rewriteLog(node: Node, build: Build): Node {
  const body = bodyOf(node);
  return isNode(body['base']) && isNode(body['this']) ? build(fn('log', [body['base'], body['this']])) : node;
}

/** EXTRACT's fields where DuckDB's meaning differs: DOW is ISO (Monday 1 … Sunday 7) in Athena. */
const EXTRACT_FUNCTIONS: Record<string, string> = { DayOfWeek: 'isodow', DayOfYear: 'dayofyear', YearOfWeek: 'isoyear', Millisecond: 'millisecond' };

export function rewriteExtract(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const replacement = EXTRACT_FUNCTIONS[String(body['field'])];
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

/** ARRAY[…] || element and element || ARRAY[…] (DuckDB concatenates lists with lists only). */
export function rewriteConcat(node: Node, build: Build): Node {
  const { left, right } = bodyOf(node);
  if (isArrayConstructor(left) && isScalarLiteral(right)) return build(fn('list_append', [left as Node, right as Node]));
  if (isScalarLiteral(left) && isArrayConstructor(right)) return build(fn('list_prepend', [left as Node, right as Node]));
  return node;
}

/** A row, ROW(a, b) or (a, b) in an array: Athena's fields are field0, field1 … (as it prints them). */
export function rewriteRow(node: Node, build: Build): Node {
  const values = (kindOf(node) === 'tuple' ? bodyOf(node)['expressions'] : bodyOf(node)['args']) as Node[];
  return struct(values.map((value, i) => [`field${i}`, value] as const), build);
}

export function rewriteIf(node: Node): Node {
  if (bodyOf(node)['false_value'] == null) bodyOf(node)['false_value'] = nul();
  return node;
}

/**
 * DECIMAL without precision: for `DECIMAL '12.50'` the literal's own (its digits, and those after the point:
 * decimal(4,2)); for a cast, Trino's default decimal(38,0) (DuckDB's would be decimal(18,3)).
 */
function decimalTypeOf(literal: string | undefined): { precision: number; scale: number } {
  const digits = /^\s*[+-]?(\d*)(?:\.(\d*))?\s*$/.exec(literal ?? '');
  if (!digits) return { precision: 38, scale: 0 };
  const [, whole = '', fraction = ''] = digits;
  return { precision: Math.max(1, whole.length + fraction.length), scale: fraction.length };
}

export function rewriteCast(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const to = isNode(body['to']) ? body['to'] : {};
  const type = String(to['data_type']);
  if (['array', 'map', 'struct', 'row'].includes(type)) {
    throw unsupported(`CAST to ${type.toUpperCase()}(…)`, 'build the value with ARRAY[…], map(…) or ROW(…), or cast its elements');
  }
  if (type === 'timestamp' && to['precision'] != null) to['precision'] = null; // timestamps are timestamp(3) already
  if (type === 'decimal' && to['precision'] == null) Object.assign(to, decimalTypeOf(stringLiteral(body['this'] as Node | undefined)));
  if (type !== 'var_char' || !isNode(body['this'])) return node;
  const text = build(fn('athena_varchar', [body['this']]));
  const fitted = typeof to['length'] === 'number' ? build(fn('substr', [text, build(num(1)), build(num(to['length']))])) : text;
  // TRY_CAST to varchar never fails on Athena; locally it may be refused (a double Athena writes as 1.0E10).
  return fitted;
}

export function rewriteTypeof(node: Node, build: Build): Node {
  const text = stringLiteral(bodyOf(node)['this'] as Node | undefined);
  return text === undefined ? node : build(str(`varchar(${[...text].length})`));
}

const DATE_UNITS = new Set(['Day', 'Week', 'Month', 'Quarter', 'Year']);

/** date ± INTERVAL stays a date, as in Athena; on a column the translation can't see is a date, the macro refuses it. */
export function rewriteIntervalArithmetic(node: Node, build: Build): Node {
  const body = bodyOf(node);
  const [left, right] = [body['left'], body['right']];
  if (!isNode(left) || !isNode(right)) return node;
  const interval = kindOf(right) === 'interval' ? right : kindOf(left) === 'interval' ? left : undefined;
  if (!interval) return node;
  const other = interval === right ? left : right;
  if (isDate(other)) {
    const unit = bodyOf(interval)['unit'];
    if (!isNode(unit) || !DATE_UNITS.has(String(unit['unit']))) {
      throw unsupported('DATE ± INTERVAL of hours, minutes or seconds', 'Athena refuses it too: CAST the date AS TIMESTAMP first');
    }
    return build(castTo(node, 'date'));
  }
  body[interval === right ? 'left' : 'right'] = build(fn('athena_not_date', [other]));
  return node;
}
