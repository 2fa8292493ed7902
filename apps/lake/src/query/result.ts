import { renderTable as renderAligned } from '@lakehouse/runtime';

/**
 * A query's answer, the same shape whether the local lake or Athena ran it: every value as text, as Athena's
 * GetQueryResults returns it (NULL as null), and the columns with Athena's type names (`varchar`, `bigint`,
 * `timestamp(3)`, `array(varchar)` …; Athena's own results give the base name, `timestamp`, `array`).
 */
export interface QueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Array<string | null>>;
  elapsedMs: number;
  /** Athena reports what it scanned (and bills by it). */
  scannedBytes?: number;
  /** Only the first rows were read (`maxRows`): the query returned more. */
  truncated?: boolean;
}

export type OutputFormat = 'table' | 'json' | 'csv';

const INTEGER_TYPES = /^(tinyint|smallint|integer|int|bigint|hugeint|ubigint|uinteger|usmallint|utinyint)$/i;
const DECIMAL_TYPES = /^(double|float|real|decimal(\(.*\))?)$/i;
const BOOLEAN_TYPES = /^boolean$/i;

function isNumeric(type: string): boolean {
  return INTEGER_TYPES.test(type) || DECIMAL_TYPES.test(type);
}

/** A value typed for JSON: numbers and booleans as such (integers past 2^53 stay text), NULL as null, the rest as text. */
function jsonValue(value: string | null, type: string): unknown {
  if (value === null) return null;
  if (INTEGER_TYPES.test(type)) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (DECIMAL_TYPES.test(type)) return Number.isFinite(Number(value)) ? Number(value) : value;
  if (BOOLEAN_TYPES.test(type)) return value === 'true';
  return value;
}

/** A CSV field as Athena's result files write it: NULL an empty field, an empty string `""`. */
function csvField(value: string | null): string {
  if (value === null) return '';
  return value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** An aligned text table, numbers right-aligned; NULL shows as NULL (as Trino's CLI), an empty string as nothing. */
function renderTable(result: QueryResult): string {
  const { columns, rows } = result;
  return renderAligned(
    rows.map((row) => row.map((v) => v ?? 'NULL')),
    { header: columns.map((c) => c.name), align: columns.map((c) => (isNumeric(c.type) ? 'right' : 'left')), gap: ' | ' },
  );
}

function renderJson(result: QueryResult): string {
  const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, jsonValue(row[i] ?? null, c.type)])));
  return JSON.stringify(objects, null, 2);
}

function renderCsv(result: QueryResult): string {
  return [result.columns.map((c) => csvField(c.name)), ...result.rows.map((row) => row.map(csvField))].map((fields) => fields.join(',')).join('\n');
}

export function render(result: QueryResult, format: OutputFormat): string {
  return format === 'json' ? renderJson(result) : format === 'csv' ? renderCsv(result) : renderTable(result);
}

/** "3 rows in 12 ms", for stderr. */
export function summary(result: QueryResult): string {
  const rows = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`;
  const scanned = result.scannedBytes === undefined ? '' : `, ${(result.scannedBytes / 1024).toFixed(1)} KiB scanned`;
  return `${rows} in ${Math.round(result.elapsedMs)} ms${scanned}`;
}
