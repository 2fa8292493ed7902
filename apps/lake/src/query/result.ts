import { csvText, isNumericType, jsonText, type QueryResult } from '@lakehouse/console-api';
import { renderTable as renderAligned } from '@lakehouse/runtime';

export type OutputFormat = 'table' | 'json' | 'csv';

/** An aligned text table, numbers right-aligned; NULL shows as NULL (as Trino's CLI), an empty string as nothing. */
function renderTable(result: QueryResult): string {
  const { columns, rows } = result;
  return renderAligned(
    rows.map((row) => row.map((v) => v ?? 'NULL')),
    { header: columns.map((c) => c.name), align: columns.map((c) => (isNumericType(c.type) ? 'right' : 'left')), gap: ' | ' },
  );
}

/** A result as `lakehouse query` prints it: a table for people, or CSV/JSON exactly as the console's downloads. */
export function render(result: QueryResult, format: OutputFormat): string {
  return format === 'json' ? jsonText(result) : format === 'csv' ? csvText(result) : renderTable(result);
}

/** "3 rows in 12 ms", for stderr. */
export function summary(result: QueryResult): string {
  const rows = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`;
  const scanned = result.scannedBytes === undefined ? '' : `, ${(result.scannedBytes / 1024).toFixed(1)} KiB scanned`;
  return `${rows} in ${Math.round(result.elapsedMs)} ms${scanned}`;
}
