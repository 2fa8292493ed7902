/**
 * Values and types as Athena shows them (GetQueryResults, its CSV files, the console): timestamps with
 * milliseconds, doubles as Java prints them, arrays as `[a, b]`, maps and rows as `{k=v}`, and Trino's type names.
 * Pure functions of plain values, so the local engine's results can be written exactly as Athena's are.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Microseconds since the epoch (UTC wall clock) as `yyyy-MM-dd HH:mm:ss.SSS`: Athena's timestamp(3). */
export function timestampText(micros: bigint): string {
  // Floor to the millisecond (also before 1970).
  const millis = Number((micros - (((micros % 1000n) + 1000n) % 1000n)) / 1000n);
  const d = new Date(millis);
  const year = d.getUTCFullYear();
  return `${year >= 0 && year < 10000 ? pad(year, 4) : String(year)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** A time with a time zone as Trino writes it: `HH:mm:ss.SSS+HH:MM` (micros of the day, offset in seconds). */
export function timeWithZoneText(micros: bigint, offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const minutes = Math.abs(offsetSeconds) / 60;
  return `${timestampText(micros).slice(11)}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Days since the epoch as `yyyy-MM-dd`. */
export function dateText(days: number): string {
  return timestampText(BigInt(days) * 86_400_000_000n).slice(0, 10);
}

/** Java's scientific form from JavaScript's shortest digits: `1.0E10`, `1.5E-5`. */
function scientific(x: number, digits?: number): string {
  const [mantissa = '', exponent = ''] = (digits === undefined ? x.toExponential() : x.toExponential(digits)).split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

function javaSpecial(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  return undefined;
}

/** A double as Java's Double.toString writes it (Athena prints doubles so): `0.5`, `3.0`, `1.79563149641E9`. */
export function doubleText(x: number): string {
  const special = javaSpecial(x);
  if (special) return special;
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) {
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  return scientific(x);
}

/** A JSON string literal, or a JSON number, in a JSON text. */
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * A JSON value's text as Athena prints it: its numbers with a fraction or an exponent as Jackson writes a double
 * (Java's Double.toString: `1.0E10`, where DuckDB writes `10000000000.0`); strings and whole numbers as they are.
 */
export function jsonText(text: string): string {
  return text.replace(JSON_TOKEN, (token) => (token.startsWith('"') || !/[.eE]/.test(token) ? token : doubleText(Number(token))));
}

/** A real (32-bit float) as Java's Float.toString: the fewest digits that read back as the same float. */
export function realText(x: number): string {
  const special = javaSpecial(x);
  if (special) return special;
  let digits = 1;
  while (digits < 9 && Math.fround(Number(x.toPrecision(digits))) !== x) digits++;
  const shortest = Number(x.toPrecision(digits));
  const a = Math.abs(shortest);
  if (a >= 1e-3 && a < 1e7) {
    const text = String(shortest);
    return text.includes('.') ? text : `${text}.0`;
  }
  return scientific(shortest, digits - 1);
}

/** An interval as Trino shows its two kinds: `2 03:04:05.000` (day to second) or `1-2` (year to month). */
export function intervalText(value: { months: number; days: number; micros: bigint }): string {
  const { months, days, micros } = value;
  if (months !== 0 && days === 0 && micros === 0n) {
    const sign = months < 0 ? '-' : '';
    return `${sign}${Math.floor(Math.abs(months) / 12)}-${Math.abs(months) % 12}`;
  }
  const total = BigInt(days) * 86_400_000_000n + micros;
  const sign = total < 0n ? '-' : '';
  const abs = total < 0n ? -total : total;
  const ms = Number(abs / 1000n);
  const day = Math.floor(ms / 86_400_000);
  const rest = ms % 86_400_000;
  return `${sign}${day} ${pad(Math.floor(rest / 3_600_000))}:${pad(Math.floor(rest / 60_000) % 60)}:${pad(Math.floor(rest / 1000) % 60)}.${pad(rest % 1000, 3)}`;
}

/** `[a, b]`, with NULL for missing elements. */
export function arrayText(items: ReadonlyArray<string | null>): string {
  return `[${items.map((v) => v ?? 'NULL').join(', ')}]`;
}

/** `{k=v, …}`: maps and rows (named fields). */
export function entriesText(entries: ReadonlyArray<readonly [string, string | null]>): string {
  return `{${entries.map(([k, v]) => `${k}=${v ?? 'NULL'}`).join(', ')}}`;
}

const SIMPLE_TYPES: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  // DuckDB widens sums and counts; Athena's are bigint.
  HUGEINT: 'bigint',
  UTINYINT: 'smallint',
  USMALLINT: 'integer',
  UINTEGER: 'bigint',
  UBIGINT: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double',
  VARCHAR: 'varchar',
  DATE: 'date',
  TIME: 'time(3)',
  TIMESTAMP: 'timestamp(3)',
  TIMESTAMP_MS: 'timestamp(3)',
  TIMESTAMP_S: 'timestamp(3)',
  TIMESTAMP_NS: 'timestamp(3)',
  'TIMESTAMP WITH TIME ZONE': 'timestamp(3) with time zone',
  'TIME WITH TIME ZONE': 'time(3) with time zone',
  INTERVAL: 'interval day to second',
  BLOB: 'varbinary',
  JSON: 'json',
  UUID: 'uuid',
  '"NULL"': 'unknown',
  NULL: 'unknown',
};

/** Splits `a, b(c, d), e` at the top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** DuckDB's name of a type (`VARCHAR[]`, `DECIMAL(18,3)`, `STRUCT(a INTEGER)`) as Trino names it (`array(varchar)` …). */
export function athenaTypeName(duckdbType: string): string {
  const type = duckdbType.trim();
  const simple = SIMPLE_TYPES[type];
  if (simple) return simple;
  if (type.endsWith('[]')) return `array(${athenaTypeName(type.slice(0, -2))})`;
  const list = /^(?:[A-Z_ ]+)\[\d+\]$/.exec(type);
  if (list) return `array(${athenaTypeName(type.replace(/\[\d+\]$/, ''))})`;
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const map = /^MAP\((.*)\)$/.exec(type);
  if (map)
    return `map(${splitTopLevel(map[1] ?? '')
      .map(athenaTypeName)
      .join(', ')})`;
  const struct = /^STRUCT\((.*)\)$/.exec(type);
  if (struct) {
    const fields = splitTopLevel(struct[1] ?? '').map((field) => {
      const [, name = '', fieldType = ''] = /^("(?:[^"]|"")*"|\S+)\s+(.*)$/.exec(field) ?? [];
      return `${name.replace(/^"|"$/g, '')} ${athenaTypeName(fieldType)}`;
    });
    return `row(${fields.join(', ')})`;
  }
  return type.toLowerCase();
}
