/**
 * A result as a file, written the way `lakehouse query --csv / --json` writes it (and the lake's download does):
 * CSV with a header, fields quoted only when they must be, SQL NULL as an empty field and an empty string as `""`;
 * JSON as an array of objects with numbers and booleans typed and NULL as null. A page that holds every row builds
 * its file here; a capped one asks the lake for the whole result (`QueryRequest.format`).
 */
import type { QueryResponse } from '@lakehouse/console-api';

type Columns = QueryResponse['columns'];
type Rows = QueryResponse['rows'];

const INTEGER_TYPES = /^(tinyint|smallint|integer|int|bigint|hugeint|ubigint|uinteger|usmallint|utinyint)$/i;
const DECIMAL_TYPES = /^(double|float|real|decimal(\(.*\))?)$/i;
const BOOLEAN_TYPES = /^boolean$/i;

/** A CSV field as Athena's result files write it: NULL an empty field, an empty string `""`. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return value === '' || /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvText(columns: Columns, rows: Rows): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((_, i) => csvField(row[i] ?? null)).join(','));
  return lines.join('\n');
}

/** Numbers and booleans as such (integers past 2^53 stay text, so no digit is lost), the rest as text. */
export function jsonValue(value: string | null, type: string): unknown {
  if (value === null) return null;
  if (INTEGER_TYPES.test(type)) return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (DECIMAL_TYPES.test(type)) return Number.isFinite(Number(value)) ? Number(value) : value;
  if (BOOLEAN_TYPES.test(type)) return value === 'true';
  return value;
}

export function jsonText(columns: Columns, rows: Rows): string {
  const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i] ?? null, c.type)])));
  return JSON.stringify(objects, null, 2);
}

export const MEDIA_TYPES = { csv: 'text/csv;charset=utf-8', json: 'application/json;charset=utf-8' } as const;

/** Hands a blob to the browser as a download (a blob: URL, so nothing goes over the network). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The name in a `Content-Disposition: attachment; filename="x.csv"` header, if any. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || null;
}
