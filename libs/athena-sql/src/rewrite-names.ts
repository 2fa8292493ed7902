import { AthenaSqlError, missingFunction } from './errors';
import { athenaFunction } from './functions';

/**
 * The names a query calls, against Athena's function table: a function Athena has and the local engine gives the
 * same answer for passes; one the table refuses is refused with the table's line; a DuckDB function Athena lacks
 * is named as DuckDB's with Athena's way to write it; any other name is not a function of Athena's. So no query
 * reaches DuckDB calling a function the user didn't write as Athena's, and no DuckDB suggestion reaches the user.
 */

/** DuckDB's own functions, which Athena lacks: refused, so what runs locally also runs on Athena. */
const DUCKDB_ONLY: Record<string, string> = {
  strftime: "date_format(ts, '%Y-%m-%d %H:%i')",
  strptime: "date_parse(text, '%Y-%m-%d')",
  epoch: 'to_unixtime(ts)',
  epoch_ms: 'to_unixtime(ts) * 1000',
  epoch_us: 'to_unixtime(ts) * 1000000',
  make_timestamp: "date_parse(text, '%Y-%m-%d %H:%i:%s')",
  today: 'current_date',
  datediff: "date_diff('day', a, b)",
  date_part: 'extract(hour FROM ts), or hour(ts)',
  time_bucket: "date_trunc('hour', ts)",
  trunc: 'truncate(x)',
  list_transform: 'transform(array, x -> …)',
  list_filter: 'filter(array, x -> …)',
  list_contains: 'contains(array, value)',
  list_value: 'ARRAY[a, b]',
  len: 'length(text) or cardinality(array)',
  string_split: 'split(text, delimiter)',
  str_split: 'split(text, delimiter)',
  array_to_string: 'array_join(array, delimiter)',
  regexp_matches: 'regexp_like(text, pattern)',
  regexp_full_match: "regexp_like(text, '^…$')",
  json_contains: 'json_array_contains(json, value)',
  strlen: 'length(text)',
  first: 'arbitrary(x)',
  arg_max: 'max_by(x, y)',
  arg_min: 'min_by(x, y)',
  approx_count_distinct: 'approx_distinct(x)',
  approx_quantile: 'approx_percentile(x, p)',
  quantile_disc: 'approx_percentile(x, p)',
  median: 'approx_percentile(x, 0.5)',
  string_agg: "array_join(array_agg(x), ',')",
  generate_series: 'sequence(start, stop)',
  ifnull: 'coalesce(a, b)',
  nvl: 'coalesce(a, b)',
  array_length: 'cardinality(array)',
  instr: 'strpos(text, part)',
  lcase: 'lower(text)',
  ucase: 'upper(text)',
  group_concat: "array_join(array_agg(x), ',')",
  mode: 'approx_most_frequent(1, x, 1000)',
  char_length: 'length(text)',
  character_length: 'length(text)',
  last_day: 'last_day_of_month(d)',
  dayofweek: 'day_of_week(d)',
  // DuckDB's readers: a local query reads the lake's tables by name, as Athena does.
  ...Object.fromEntries(
    [
      'read_text',
      'read_blob',
      'read_csv',
      'read_csv_auto',
      'read_json',
      'read_json_auto',
      'read_ndjson',
      'read_parquet',
      'parquet_scan',
      'glob',
      'query',
      'query_table',
    ].map((name) => [name, 'the table by its name, SELECT … FROM <database>.<table>']),
  ),
};

/**
 * DuckDB's names the parser reads as Athena's own (len(x) becomes length(x), ifnull coalesce, lcase lower): the
 * tree no longer tells them apart, so the query's words are looked at. Only a query that has one is tokenized.
 */
const PARSER_ALIASES = [
  'len',
  'char_length',
  'character_length',
  'ifnull',
  'nvl',
  'array_length',
  'epoch_ms',
  'epoch',
  'instr',
  'lcase',
  'ucase',
  'group_concat',
  'string_agg',
  'median',
  'mode',
  'last_day',
  'dayofweek',
];
const PARSER_ALIAS = new RegExp(`\\b(${PARSER_ALIASES.join('|')})\\s*\\(`, 'i');

/** Refuses a DuckDB name the parser would read as Athena's: a word of the query followed by `(`. */
export function checkParserAliases(sql: string, tokens: () => ReadonlyArray<{ text: string }>): void {
  if (!PARSER_ALIAS.test(sql)) return;
  const words = tokens();
  const alias = words.find((token, i) => PARSER_ALIASES.includes(token.text.toLowerCase()) && words[i + 1]?.text === '(');
  if (alias) throw duckdbOnly(alias.text.toLowerCase(), DUCKDB_ONLY[alias.text.toLowerCase()] ?? '');
}

/** Names the parser keeps as function calls that are syntax in Athena (the ROW constructor, GROUPING SETS, CUBE, ROLLUP, GROUPING). */
const SYNTAX = new Set(['row', 'grouping', 'grouping sets', 'cube', 'rollup']);

function duckdbOnly(name: string, athena: string): AthenaSqlError {
  return new AthenaSqlError(
    'unsupported',
    `${name}() (DuckDB's, not Athena's) is not supported by the local engine; write ${athena}, or run with --dialect duckdb`,
    undefined,
    name,
  );
}

/** The Athena function names nearest to a misspelt one (at most two edits away). */
function nearest(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length] ?? Infinity;
  };
  return candidates
    .map((c) => [c, distance(name, c)] as const)
    .filter(([, d]) => d <= 2)
    .sort((a, b) => a[1] - b[1])[0]?.[0];
}

/**
 * Refuses a call the local engine must not run (see above); `names` are Athena's function names, for a
 * suggestion when the name is none of them.
 */
export function checkFunctionName(name: string, names: () => readonly string[]): void {
  const key = name.toLowerCase();
  if (SYNTAX.has(key)) return;
  const known = athenaFunction(key);
  if (known && 'group' in known) throw missingFunction(name, known.group.instead);
  if (known) {
    const whole = known.rows.find((row) => row.status === 'refused' && row.form === undefined);
    if (whole && whole.status === 'refused') throw missingFunction(key, whole.instead);
    return;
  }
  const duckdb = DUCKDB_ONLY[key];
  if (duckdb) throw duckdbOnly(key, duckdb);
  const suggestion = nearest(key, names());
  throw new AthenaSqlError(
    'unsupported',
    `${key} is not an Athena function (Athena: Function '${key}' not registered)${suggestion ? `; did you mean ${suggestion}?` : ''}`,
    undefined,
    key,
  );
}
