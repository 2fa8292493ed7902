/**
 * The parser's syntax tree as plain JSON (polyglot's `parse` output, `generate` input): every node is an object
 * with one key, its kind (`select`, `function`, `cast`, …). These helpers read and build the few kinds the
 * translation touches.
 */
export type Node = Record<string, unknown>;

/** Any JSON object of the tree: a node, or a node's field that is a structure (`where_clause: { this }`). */
export const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `function`, `cast`, `literal`, …: the node's one key. */
export function kindOf(node: Node): string {
  return Object.keys(node)[0] ?? '';
}

/** The node's body: `{ function: body }` → body. */
export function bodyOf(node: Node): Node {
  const body = node[kindOf(node)];
  return isNode(body) ? body : {};
}

const name = (text: string, quoted = false) => ({ name: text, quoted, trailing_comments: [] });

export const fn = (functionName: string, args: Node[]): Node => ({
  function: { name: functionName, args, distinct: false, trailing_comments: [], use_bracket_syntax: false, no_parens: false, quoted: false },
});

export const str = (value: string): Node => ({ literal: { literal_type: 'string', value } });

export const nul = (): Node => ({ null: {} });

export const alias = (expression: Node, text: string): Node => ({
  alias: { this: expression, alias: name(text, true), column_aliases: [], alias_explicit_as: true, pre_alias_comments: [], trailing_comments: [] },
});

export const binary = (operator: string, left: Node, right: Node): Node => ({
  [operator]: { left, right, left_comments: [], operator_comments: [], trailing_comments: [] },
});

export const num = (value: number): Node => ({ literal: { literal_type: 'number', value: String(value) } });

/** The data types the translation casts to, as the parser writes them. */
const DATA_TYPES = {
  date: { data_type: 'date' },
  timestamp: { data_type: 'timestamp', precision: null, timezone: false },
  'timestamp with time zone': { data_type: 'timestamp', precision: null, timezone: true },
} as const;

export const castTo = (expression: Node, type: keyof typeof DATA_TYPES): Node => ({
  cast: { this: expression, to: { ...DATA_TYPES[type] }, trailing_comments: [], double_colon_syntax: false, format: null, default: null },
});

/** A function call's lower-case name and arguments, for the generic `function` and `aggregate_function` kinds. */
export function callOf(node: Node): { name: string; args: Node[] } | undefined {
  const kind = kindOf(node);
  if (kind !== 'function' && kind !== 'aggregate_function') return undefined;
  const body = bodyOf(node);
  return { name: String(body['name'] ?? '').toLowerCase(), args: (Array.isArray(body['args']) ? body['args'] : []).filter(isNode) };
}

/** A string literal's text; undefined for anything else. */
export function stringLiteral(node: Node | undefined): string | undefined {
  if (!node || kindOf(node) !== 'literal') return undefined;
  const body = bodyOf(node);
  return body['literal_type'] === 'string' ? String(body['value']) : undefined;
}

/** Whether a subtree holds a node of one of the kinds (not looking into subqueries' own SELECTs). */
export function contains(node: unknown, test: (n: Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((n) => contains(n, test));
  if (!isNode(node)) return false;
  if (test(node)) return true;
  return Object.values(node).some((v) => contains(v, test));
}

/** A value the query shows to be a date, whatever the columns' types: DATE '…', CAST(… AS DATE), current_date, date(…). */
export function isDate(node: Node): boolean {
  const kind = kindOf(node);
  const body = bodyOf(node);
  if (kind === 'literal') return body['literal_type'] === 'date';
  if (kind === 'cast' || kind === 'try_cast') return isNode(body['to']) && body['to']['data_type'] === 'date';
  return ['current_date', 'date', 'from_iso8601_date', 'last_day_of_month'].includes(callOf(node)?.name ?? '');
}
