/** How the console writes numbers, sizes, durations and times: pure, so the graphs, the tables and the tests agree. */
import type { PipelineMetric, QueryResult } from '@lakehouse/console-api';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `0 B`, `512 B`, `1.5 KiB`, `12 MiB`: three significant digits past bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const sign = bytes < 0 ? '-' : '';
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  return `${sign}${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${BYTE_UNITS[unit]}`;
}

/** Every digit, grouped: `1,234,567`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** Short, for axes and tiles: `950`, `1.2k`, `34.6k`, `1.2M`, `3.4G` (three significant digits at most). */
export function compactCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 1000) return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(a < 10 ? 2 : 1)));
  const rounded = Number(a.toPrecision(3));
  const [div, suffix] = rounded >= 1e9 ? [1e9, 'G'] : rounded >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  const v = rounded / div;
  return `${n < 0 ? '-' : ''}${Number(v.toFixed(v >= 100 ? 0 : 1))}${suffix}`;
}

/** A duration: `850 ms`, `1.2 s`, `45 s`, `2 min 5 s`, `1 h 4 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 10_000) return `${sign}${(a / 1000).toFixed(1)} s`;
  const s = Math.round(a / 1000);
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${sign}${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** A metric's value in its own unit (CloudWatch's units). */
export function formatMetric(value: number | null | undefined, unit: PipelineMetric['unit']): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'Bytes':
      return formatBytes(value);
    case 'Milliseconds':
      return formatDuration(value);
    case 'Seconds':
      return formatDuration(value * 1000);
    case 'Count':
      return compactCount(value);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch milliseconds as `2026-01-02 03:04:05 UTC`: the lake's partitions and Athena's timestamps are UTC too. */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** `query-20260102-030405`: a download's name, from the time it was made. */
export function stampName(prefix: string, epochMs: number): string {
  const d = new Date(epochMs);
  return `${prefix}-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** A time axis label in UTC, as fine as the span needs: `09:41:05`, `09:41`, `01-14 09:00`, `2026-01-14`. */
export function timeTick(seconds: number, spanSeconds: number): string {
  const text = formatTime(seconds * 1000); // 2026-01-14 09:41:05 UTC
  if (spanSeconds <= 120) return text.slice(11, 19);
  if (spanSeconds <= 86_400) return text.slice(11, 16);
  const midnight = text.slice(11, 19) === '00:00:00';
  if (spanSeconds <= 60 * 86_400) return midnight ? text.slice(5, 10) : `${text.slice(5, 10)} ${text.slice(11, 16)}`;
  return text.slice(0, 10);
}

/** `1 row`, `5,000 rows`, or for a capped result `more than 100,000 rows` (the lake stops counting at the cap). */
export function rowsText(result: Pick<QueryResult, 'rows' | 'truncated'>): string {
  const count = result.rows.length;
  if (result.truncated) return `more than ${formatCount(count)} rows`;
  return `${formatCount(count)} row${count === 1 ? '' : 's'}`;
}
