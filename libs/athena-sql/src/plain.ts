import { UNNAMED_COLUMN_PREFIX } from './rewrite';

/**
 * The queries that mean the same in Athena and DuckDB as written, recognized without the parser (whose
 * WebAssembly takes a few hundred milliseconds to load and warm up): one SELECT over known tables and columns, with
 * comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, IS NULL, count/sum/min/max/avg, GROUP BY, HAVING, ORDER BY and LIMIT.
 * Anything else (another function, a cast, an operator, a literal with a point, a name that is not a table, a
 * column or an alias of the query) goes through the translation. Unnamed expressions still get Athena's names.
 */

type Token = { kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol'; text: string; end: number };

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|("[^"]+")|('(?:[^']|'')*')|(\d+)(?![\w.])|(<>|<=|>=|!=|[=<>,().*;]))/y;

function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.length) {
    if (/^\s*$/.test(sql.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(sql);
    if (!m) return undefined; // a comment, an operator, a decimal: not plain
    const kind = m[1] ? 'word' : m[2] ? 'quoted' : m[3] ? 'string' : m[4] ? 'number' : 'symbol';
    tokens.push({ kind, text: m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '', end: TOKEN.lastIndex });
  }
  if (tokens.at(-1)?.text === ';') tokens.pop();
  return tokens;
}

const KEYWORDS = new Set(
  'select distinct from where group by having order asc desc limit and or not in is null as between like true false nulls first last'.split(' '),
);
const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg']);

/** Every word is a keyword, an aggregate called as one, or a known name; nothing sits next to a name but AS. */
function wordsArePlain(tokens: Token[], names: ReadonlySet<string> | undefined): boolean {
  const aliases = new Set(tokens.filter((t, i) => tokens[i - 1]?.text.toLowerCase() === 'as' && t.kind !== 'string').map((t) => t.text.toLowerCase()));
  return tokens.every((token, i) => {
    const next = tokens[i + 1];
    if (token.text === ';') return false;
    if (token.kind === 'word' && KEYWORDS.has(token.text.toLowerCase())) return true;
    if (token.kind === 'word' && AGGREGATES.has(token.text.toLowerCase()) && next?.text === '(') return true;
    if (token.kind !== 'word' && token.kind !== 'quoted') return true;
    if (next?.text === '(' || (next?.kind === 'word' && !KEYWORDS.has(next.text.toLowerCase())) || next?.kind === 'quoted' || next?.kind === 'string')
      return false;
    const name = token.kind === 'quoted' ? token.text.slice(1, -1).toLowerCase() : token.text.toLowerCase();
    return names === undefined || names.has(name) || aliases.has(name) || aliases.has(token.text.toLowerCase());
  });
}

/** The select list's items: where each ends, and whether Athena names it (a column, `*`, `AS alias`). */
function selectItems(tokens: Token[]): Array<{ end: number; named: boolean }> {
  const items: Array<{ end: number; named: boolean }> = [];
  let start = tokens[1]?.text.toLowerCase() === 'distinct' ? 2 : 1;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const text = tokens[i]?.text.toLowerCase();
    if (text === '(') depth++;
    else if (text === ')') depth--;
    const ends = depth === 0 && (text === ',' || text === 'from' || i === tokens.length - 1);
    if (!ends) continue;
    const last = text === ',' || text === 'from' ? i - 1 : i;
    const item = tokens.slice(start, last + 1);
    const [only] = item;
    const named =
      item.length === 1 && only
        ? only.kind === 'quoted' || only.text === '*' || (only.kind === 'word' && !KEYWORDS.has(only.text.toLowerCase()))
        : item.at(-2)?.text.toLowerCase() === 'as' || /^[\w"]+\.[\w"*]+$/.test(item.map((t) => t.text).join(''));
    items.push({ end: tokens[last]?.end ?? 0, named });
    if (text === 'from') break;
    start = i + 1;
  }
  return items;
}

/**
 * The query as DuckDB should run it, if it is plain (see above): the same text with Athena's names for unnamed
 * expressions; undefined when it needs the translation. `names`: the catalog's tables, databases and columns.
 */
export function plainQuery(sql: string, names?: ReadonlySet<string>): string | undefined {
  const tokens = tokenize(sql);
  if (!tokens || tokens[0]?.text.toLowerCase() !== 'select' || !wordsArePlain(tokens, names)) return undefined;
  if (tokens.filter((t) => t.text.toLowerCase() === 'select').length > 1) return undefined; // subqueries name their columns too
  let out = '';
  let from = 0;
  selectItems(tokens).forEach((item, i) => {
    if (item.named) return;
    out += `${sql.slice(from, item.end)} AS "${UNNAMED_COLUMN_PREFIX}${i}"`;
    from = item.end;
  });
  return out + sql.slice(from);
}
