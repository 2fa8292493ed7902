import type { ColumnKind, ParquetColumn } from '@lakehouse/schema';

/**
 * The OpenX JSON SerDe's reading of one record into the Glue table's columns, as Firehose's record
 * format conversion does it before writing Parquet. Failures carry Firehose's error codes and start
 * with its messages, followed by the column and the reason.
 */

export const CONVERSION_ERROR_CODES = {
  /** The record is not JSON (or not UTF-8). */
  parseError: 'DataFormatConversion.ParseError',
  /** The record is JSON but doesn't fit the table's columns. */
  malformedData: 'DataFormatConversion.MalformedData',
} as const;
export type ConversionErrorCode = (typeof CONVERSION_ERROR_CODES)[keyof typeof CONVERSION_ERROR_CODES];

/**
 * One converted value, typed for its Parquet column:
 * string → string, timestamp → bigint microseconds since the epoch (UTC), date → number of days since the epoch,
 * bigint → bigint, double → number, boolean → boolean; null when absent and allowed.
 */
export type CellValue = string | bigint | number | boolean | null;

export type Conversion = { ok: true; row: CellValue[] } | { ok: false; errorCode: ConversionErrorCode; errorMessage: string };

export interface ConverterOptions {
  /**
   * A column the schema requires, missing or null in the record: `'fail'` sends the record to the error
   * output (the local lake's default, so bad producers are seen), `'null'` writes NULL as OpenX on AWS does.
   */
  requiredColumns?: 'fail' | 'null';
  /** OpenX matches JSON keys to columns ignoring case unless told otherwise. */
  caseInsensitive?: boolean;
}

class ValueProblem extends Error {}

const MALFORMED = 'Data does not match the schema.';
const PARSE = 'Encountered malformed JSON.';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Epoch numbers below this magnitude are seconds, from it on milliseconds. */
export const EPOCH_MILLIS_FLOOR = 1e12;
/** Hive/Athena timestamps span years 1 to 9999. */
const MIN_TIMESTAMP_MICROS = -62_135_596_800_000_000n;
const MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999n;
const MILLIS_PER_DAY = 86_400_000;

const TIMESTAMP_FORMS = "yyyy-MM-dd'T'HH:mm:ss[.S]Z, yyyy-[M]M-[d]d HH:mm:ss[.S], or epoch seconds or milliseconds";
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const HIVE_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const ISO_LOCAL = /^\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
const ISO_OFFSET = /^\d{4}-\d{1,2}-\d{1,2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}(?::?\d{2})?$/;
const EPOCH_TEXT = /^-?\d+(?:\.\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** Epoch ms of a calendar date and time in UTC, or undefined when the date doesn't exist (Feb 30, hour 24). */
function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getUTCDate() === day ? date.getTime() : undefined;
}

function micros(parts: RegExpExecArray, text: string): bigint {
  const [, y, mo, d, h, mi, s, fraction = ''] = parts;
  const millis = utcMillis(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (millis === undefined) throw new ValueProblem(`${JSON.stringify(text)} is not a valid date and time`);
  // Parquet keeps microseconds: finer digits are truncated.
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

function inTimestampRange(value: bigint, original: unknown): bigint {
  if (value < MIN_TIMESTAMP_MICROS || value > MAX_TIMESTAMP_MICROS) {
    throw new ValueProblem(`${describe(original)} is out of the timestamp range (years 1 to 9999)`);
  }
  return value;
}

function epochMicros(epoch: number, original: unknown): bigint {
  if (!Number.isFinite(epoch)) throw new ValueProblem(`${describe(original)} is not a finite number`);
  const isSeconds = Math.abs(epoch) < EPOCH_MILLIS_FLOOR;
  const value = isSeconds ? BigInt(Math.round(epoch * 1e6)) : BigInt(Math.round(epoch * 1000));
  return inTimestampRange(value, original);
}

function toTimestamp(value: unknown): bigint {
  if (typeof value === 'number') return epochMicros(value, value);
  if (typeof value !== 'string') throw new ValueProblem(`expected a timestamp (${TIMESTAMP_FORMS}), got ${describe(value)}`);
  const iso = ISO_UTC.exec(value) ?? HIVE_TIMESTAMP.exec(value);
  if (iso) return inTimestampRange(micros(iso, value), value);
  if (EPOCH_TEXT.test(value)) return epochMicros(Number(value), value);
  if (ISO_LOCAL.test(value)) {
    throw new ValueProblem(`${JSON.stringify(value)} is a local time with no zone; write it in UTC with a Z, as toISOString() gives`);
  }
  if (ISO_OFFSET.test(value)) {
    throw new ValueProblem(`${JSON.stringify(value)} has a UTC offset; OpenX reads only UTC with a Z, as toISOString() gives`);
  }
  throw new ValueProblem(`expected a timestamp (${TIMESTAMP_FORMS}), got ${describe(value)}`);
}

function toDate(value: unknown): number {
  const parts = typeof value === 'string' ? DATE_TEXT.exec(value) : null;
  const millis = parts ? utcMillis(Number(parts[1]), Number(parts[2]), Number(parts[3])) : undefined;
  if (millis === undefined) throw new ValueProblem(`expected a date as yyyy-[M]M-[d]d, got ${describe(value)}`);
  return Math.round(millis / MILLIS_PER_DAY);
}

function toBigint(value: unknown, rawLiteral: () => string | undefined): bigint {
  if (typeof value !== 'number') {
    throw new ValueProblem(`expected a JSON number (an integer) for a bigint column, got ${describe(value)}`);
  }
  if (!Number.isInteger(value)) throw new ValueProblem(`expected an integer, got ${value}`);
  // Past 2^53 a JS number has lost digits: read the integer from the record's own text.
  const literal = Number.isSafeInteger(value) ? undefined : rawLiteral();
  const exact = literal !== undefined && /^-?\d+$/.test(literal) ? BigInt(literal) : BigInt(value);
  if (exact < INT64_MIN || exact > INT64_MAX) throw new ValueProblem(`${literal ?? value} is out of the bigint range`);
  return exact;
}

function toDouble(value: unknown): number {
  if (typeof value !== 'number') throw new ValueProblem(`expected a JSON number for a double column, got ${describe(value)}`);
  return value;
}

function toBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueProblem(`expected true or false, got ${describe(value)}`);
  return value;
}

/** OpenX reads any JSON value into a string column: text as is, anything else as its JSON text. */
function toText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type ReadValue = (value: unknown, rawLiteral: () => string | undefined) => CellValue;

/** One reader per column kind (typed as a full record: a new kind without a reader doesn't compile). */
const READERS: Readonly<Record<ColumnKind, ReadValue>> = {
  string: toText,
  timestamp: toTimestamp,
  date: toDate,
  bigint: toBigint,
  double: toDouble,
  boolean: toBoolean,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Builds the converter for a table's columns (in table order). Fields of the record that aren't columns are
 * dropped; a record that isn't a JSON object, or a value that can't be read as its column's type, fails.
 */
export function createConverter(columns: readonly ParquetColumn[], options: ConverterOptions = {}): (data: Uint8Array | string) => Conversion {
  const { requiredColumns = 'fail', caseInsensitive = true } = options;
  const plan = columns.map((column) => ({
    column,
    read: READERS[column.kind],
    required: !column.nullable && requiredColumns === 'fail',
    lowerKey: column.jsonKey.toLowerCase(),
  }));

  return (data) => {
    let text: string;
    let record: unknown;
    try {
      text = typeof data === 'string' ? data : utf8.decode(data);
    } catch {
      return { ok: false, errorCode: CONVERSION_ERROR_CODES.parseError, errorMessage: `${PARSE} The record is not valid UTF-8.` };
    }
    try {
      record = JSON.parse(text);
    } catch (error) {
      return { ok: false, errorCode: CONVERSION_ERROR_CODES.parseError, errorMessage: `${PARSE} ${(error as Error).message}` };
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      return { ok: false, errorCode: CONVERSION_ERROR_CODES.malformedData, errorMessage: `${MALFORMED} A JSON object is required, got ${describe(record)}.` };
    }
    const fields = record as Record<string, unknown>;
    let byLowerKey: Map<string, string> | undefined;
    const row: CellValue[] = new Array(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const step = plan[i] as (typeof plan)[number];
      let key: string | undefined = Object.hasOwn(fields, step.column.jsonKey) ? step.column.jsonKey : undefined;
      if (key === undefined && caseInsensitive) {
        byLowerKey ??= lowerCaseKeys(fields);
        key = byLowerKey.get(step.lowerKey);
      }
      const value = key === undefined ? undefined : fields[key];
      if (value === undefined || value === null) {
        if (step.required) {
          const what = value === null ? 'is null' : 'is missing';
          return {
            ok: false,
            errorCode: CONVERSION_ERROR_CODES.malformedData,
            errorMessage: `${MALFORMED} ${step.column.name}: the field ${what}, and the schema requires it.`,
          };
        }
        row[i] = null;
        continue;
      }
      try {
        const jsonKey = key as string;
        row[i] = step.read(value, () => topLevelLiteral(text, jsonKey));
      } catch (error) {
        if (!(error instanceof ValueProblem)) throw error;
        return { ok: false, errorCode: CONVERSION_ERROR_CODES.malformedData, errorMessage: `${MALFORMED} ${step.column.name}: ${error.message}.` };
      }
    }
    return { ok: true, row };
  };
}

/** The first key for each lower-cased key, as OpenX matches case-insensitively. */
function lowerCaseKeys(fields: Record<string, unknown>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const key of Object.keys(fields)) {
    const lower = key.toLowerCase();
    if (!keys.has(lower)) keys.set(lower, key);
  }
  return keys;
}

/**
 * The raw text of a top-level member's value in a JSON object that JSON.parse has already accepted
 * (so the scan can trust the syntax). The last occurrence wins, as in JSON.parse.
 */
export function topLevelLiteral(text: string, key: string): string | undefined {
  let found: string | undefined;
  let i = text.indexOf('{') + 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
  };
  const endOfString = (start: number) => {
    let j = start + 1;
    while (text.charAt(j) !== '"') j += text.charAt(j) === '\\' ? 2 : 1;
    return j + 1;
  };
  for (;;) {
    skipSpace();
    if (text.charAt(i) !== '"') return found;
    const keyEnd = endOfString(i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i++; // the colon
    skipSpace();
    const start = i;
    let depth = 0;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '"') {
        i = endOfString(i);
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
      i++;
    }
    if (name === key) found = text.slice(start, i).trim();
    if (text.charAt(i) === ',') i++;
    else return found;
  }
}
