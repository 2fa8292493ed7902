/**
 * A query's answer, the same shape wherever it was run and whoever shows it: the local lake or Athena, the console's
 * page or `lakehouse query`. Every value is text, as Athena's GetQueryResults returns it (NULL as null), and columns
 * carry their engine's type names (Athena's `varchar`, `bigint`, `timestamp(3)` …; DuckDB's for its own dialect).
 */
export interface QueryResult {
  columns: ResultColumn[];
  rows: Array<Array<string | null>>;
  elapsedMs: number;
  /** The query returned more rows than `rows` holds (a page's cap, `ROW_CAP`): a download has them all. */
  truncated?: boolean;
  /** Athena reports what it scanned (and bills by it). */
  scannedBytes?: number;
}

export interface ResultColumn {
  name: string;
  type: string;
}

/** What a column holds, by its type name in either engine: how to align, chart and type it in JSON. */
export type ColumnKind = 'integer' | 'decimal' | 'boolean' | 'time' | 'text' | 'other';

/** Type names by kind, Athena's (Trino's) and DuckDB's, in any case; the first that matches decides. */
const KINDS: ReadonlyArray<[Exclude<ColumnKind, 'other'>, RegExp]> = [
  ['integer', /^(tinyint|smallint|integer|int|bigint|hugeint|uhugeint|u(tiny|small|big)?int(eger)?)$/i],
  ['decimal', /^(real|double|float|decimal|numeric)\b/i],
  ['boolean', /^(boolean|bool)$/i],
  ['time', /^(timestamp|date)\b/i],
  ['text', /^(varchar|char|string|text|uuid)\b/i],
];

export function columnKind(type: string): ColumnKind {
  const name = type.trim();
  return KINDS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
}

export const isNumericType = (type: string): boolean => ['integer', 'decimal'].includes(columnKind(type));
export const isTimeType = (type: string): boolean => columnKind(type) === 'time';
/** Values a chart can use as categories: text and booleans. */
export const isCategoryType = (type: string): boolean => ['text', 'boolean'].includes(columnKind(type));

/** A CSV field as Athena's result files write it: NULL an empty field, an empty string `""`. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The CSV header line of a result (no line end). */
export const csvHeader = (columns: readonly ResultColumn[]): string => columns.map((c) => csvField(c.name)).join(',');

/** One row as a CSV line (no line end). */
export const csvLine = (columns: readonly ResultColumn[], row: ReadonlyArray<string | null>): string =>
  columns.map((_, i) => csvField(row[i] ?? null)).join(',');

/** CSV with a header, fields quoted only when they must be (RFC 4180), as `lakehouse query --csv` and downloads write it. */
export function csvText({ columns, rows }: Pick<QueryResult, 'columns' | 'rows'>): string {
  const lines = [csvHeader(columns)];
  for (const row of rows) lines.push(csvLine(columns, row));
  return lines.join('\n');
}

/** A value typed for JSON: numbers and booleans as such (integers past 2^53 stay text, so no digit is lost), NULL as null. */
export function jsonValue(value: string | null, type: string): unknown {
  if (value === null) return null;
  switch (columnKind(type)) {
    case 'integer':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'decimal':
      return Number.isFinite(Number(value)) ? Number(value) : value;
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}

/** One row as the object `jsonText` writes for it, indented as an element of its array (no separator). */
export function jsonElement(columns: readonly ResultColumn[], row: ReadonlyArray<string | null>): string {
  const object = Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i] ?? null, c.type)]));
  return `  ${JSON.stringify(object, null, 2).replaceAll('\n', '\n  ')}`;
}

/**
 * The pieces of `jsonText`, for a writer that streams rows: `start`, each element joined by `separator`, `end`;
 * `empty` when there is no row. Together they write exactly what `jsonText` returns.
 */
export const JSON_ARRAY = { start: '[\n', separator: ',\n', end: '\n]', empty: '[]' } as const;

/** An array of objects, one per row, indented, as `lakehouse query --json` and downloads write it. */
export function jsonText({ columns, rows }: Pick<QueryResult, 'columns' | 'rows'>): string {
  if (rows.length === 0) return JSON_ARRAY.empty;
  return `${JSON_ARRAY.start}${rows.map((row) => jsonElement(columns, row)).join(JSON_ARRAY.separator)}${JSON_ARRAY.end}`;
}

export const MEDIA_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;
