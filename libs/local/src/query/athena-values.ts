import {
  DuckDBTypeId,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBIntervalValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  type DuckDBTimeTZValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  arrayText,
  athenaTypeName,
  dateText,
  doubleText,
  entriesText,
  intervalText,
  jsonText,
  realText,
  timestampText,
  timeWithZoneText,
} from '@lakehouse/athena-sql';

/** One column's values as text: compiled once per column from its type, then applied to every value. */
export type ValueText = (value: DuckDBValue) => string | null;

const micros = (value: DuckDBValue) => (value as { micros: bigint }).micros;

/** TIME as `HH:mm:ss.SSS`. */
const timeText = (value: DuckDBValue) => timestampText(micros(value)).slice(11);

/** varbinary as Athena shows it: hex bytes separated by spaces. */
const blobText = (value: DuckDBValue) => [...(value as DuckDBBlobValue).bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

const SCALAR_TEXT: Partial<Record<DuckDBTypeId, ValueText>> = {
  [DuckDBTypeId.DOUBLE]: (v) => doubleText(v as number),
  [DuckDBTypeId.FLOAT]: (v) => realText(v as number),
  [DuckDBTypeId.DATE]: (v) => dateText((v as DuckDBDateValue).days),
  [DuckDBTypeId.TIMESTAMP]: (v) => timestampText(micros(v)),
  [DuckDBTypeId.TIMESTAMP_TZ]: (v) => `${timestampText(micros(v))} UTC`,
  [DuckDBTypeId.TIMESTAMP_MS]: (v) => timestampText((v as DuckDBTimestampMillisecondsValue).millis * 1000n),
  [DuckDBTypeId.TIMESTAMP_S]: (v) => timestampText((v as DuckDBTimestampSecondsValue).seconds * 1_000_000n),
  [DuckDBTypeId.TIMESTAMP_NS]: (v) => timestampText((v as DuckDBTimestampNanosecondsValue).nanos / 1000n),
  [DuckDBTypeId.TIME]: timeText,
  [DuckDBTypeId.TIME_TZ]: (v) => timeWithZoneText((v as DuckDBTimeTZValue).micros, (v as DuckDBTimeTZValue).offset),
  [DuckDBTypeId.INTERVAL]: (v) => intervalText(v as DuckDBIntervalValue),
  [DuckDBTypeId.BLOB]: blobText,
};

const orNull = (text: ValueText) => (value: DuckDBValue) => (value === null ? null : text(value));

/** How Athena writes a value of this type (GetQueryResults' VarCharValue); NULL stays null. */
export function athenaText(type: DuckDBType): ValueText {
  if (type.alias === 'JSON') return orNull((v) => jsonText(String(v)));
  const scalar = SCALAR_TEXT[type.typeId];
  if (scalar) return orNull(scalar);
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const item = athenaText(type.valueType);
    return orNull((v) => arrayText((v as DuckDBListValue).items.map(item)));
  }
  if (type.typeId === DuckDBTypeId.MAP) {
    const [key, value] = [athenaText(type.keyType), athenaText(type.valueType)];
    return orNull((v) => entriesText((v as DuckDBMapValue).entries.map((e) => [key(e.key) ?? 'NULL', value(e.value)] as const)));
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const fields = type.entryNames.map((name, i) => [name, athenaText(type.entryTypes[i] as DuckDBType)] as const);
    return orNull((v) => entriesText(fields.map(([name, text]) => [name, text((v as DuckDBStructValue).entries[name] ?? null)] as const)));
  }
  if (type.typeId === DuckDBTypeId.BOOLEAN) return orNull((v) => (v ? 'true' : 'false'));
  return orNull(String); // integers, decimals, varchar, json, uuid
}

/** DuckDB's own text for a value: what `--dialect duckdb` prints. */
export const duckdbText: ValueText = (value) => (value === null ? null : String(value));

/** A result column's type as Athena names it (`varchar`, `bigint`, `timestamp(3)`, `array(varchar)` …). */
export function athenaType(type: DuckDBType): string {
  return type.alias === 'JSON' ? 'json' : athenaTypeName(String(type));
}
