/**
 * Test-only: one DuckDB session set up as the local lake sets it up (Athena's session settings and every macro),
 * running Athena SQL through the translator and giving each value as Athena prints it, so a check of the function
 * table compares text with text. Used by the specs only (it needs @duckdb/node-api, a devDependency).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBBlobValue,
  type DuckDBConnection,
  type DuckDBDateValue,
  type DuckDBIntervalValue,
  type DuckDBListValue,
  type DuckDBMapValue,
  type DuckDBStructValue,
  type DuckDBTimeTZValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { macroScript, SESSION_SETTINGS } from '../macros';
import { createTranslator, type Translator } from '../translate';
import { arrayText, athenaTypeName, dateText, doubleText, entriesText, intervalText, jsonText, realText, timeWithZoneText, timestampText } from '../values';

type Text = (value: DuckDBValue) => string | null;

const micros = (value: DuckDBValue) => (value as { micros: bigint }).micros;

const SCALARS: Partial<Record<DuckDBTypeId, Text>> = {
  [DuckDBTypeId.DOUBLE]: (v) => doubleText(v as number),
  [DuckDBTypeId.FLOAT]: (v) => realText(v as number),
  [DuckDBTypeId.DATE]: (v) => dateText((v as DuckDBDateValue).days),
  [DuckDBTypeId.TIMESTAMP]: (v) => timestampText(micros(v)),
  [DuckDBTypeId.TIMESTAMP_TZ]: (v) => `${timestampText(micros(v))} UTC`,
  [DuckDBTypeId.TIME]: (v) => timestampText(micros(v)).slice(11),
  [DuckDBTypeId.TIME_TZ]: (v) => timeWithZoneText((v as DuckDBTimeTZValue).micros, (v as DuckDBTimeTZValue).offset),
  [DuckDBTypeId.INTERVAL]: (v) => intervalText(v as DuckDBIntervalValue),
  [DuckDBTypeId.BLOB]: (v) => [...(v as DuckDBBlobValue).bytes].map((b) => b.toString(16).padStart(2, '0')).join(' '),
  [DuckDBTypeId.BOOLEAN]: (v) => (v ? 'true' : 'false'),
};

/** A value of this type as Athena prints it (the local lake's `athenaText`, for the tests of this library). */
export function athenaText(type: DuckDBType): Text {
  const orNull =
    (text: Text): Text =>
    (value) =>
      value === null ? null : text(value);
  if (type.alias === 'JSON') return orNull((v) => jsonText(String(v)));
  const scalar = SCALARS[type.typeId];
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
  return orNull(String);
}

export interface Answer {
  columns: string[];
  types: string[];
  rows: Array<Array<string | null>>;
}

export interface AthenaSession {
  readonly translator: Translator;
  /** The DuckDB SQL the translation gives (throws the translator's refusal). */
  translate(sql: string): string;
  /** Athena SQL run as the local lake runs it: translated, then run with the macros. */
  query(sql: string): Promise<Answer>;
  /** DuckDB SQL run as it is (a table for the tests; a plain query, which the lake runs without the translator). */
  run(sql: string): Promise<Answer>;
  close(): void;
}

let translatorLoading: Promise<Translator> | undefined;

/** The parser, loaded once per test file. */
export function testTranslator(): Promise<Translator> {
  const wasm = () => readFileSync(createRequire(import.meta.url).resolve('@polyglot-sql/sdk/polyglot_sql.wasm'));
  translatorLoading ??= createTranslator(wasm());
  return translatorLoading;
}

async function read(connection: DuckDBConnection, sql: string): Promise<Answer> {
  const reader = await connection.runAndReadAll(sql);
  const types = reader.columnTypes();
  const texts = types.map(athenaText);
  const rows = reader.getRows().map((row) => row.map((value, i) => (texts[i] as Text)(value)));
  return { columns: reader.columnNames(), types: types.map((t) => (t.alias === 'JSON' ? 'json' : athenaTypeName(String(t)))), rows };
}

/** A DuckDB session as the local lake's: Athena's settings, every macro, queries through the translator. */
export async function openAthenaSession(): Promise<AthenaSession> {
  const translator = await testTranslator();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const setting of SESSION_SETTINGS) await connection.run(setting);
  await connection.run(macroScript());
  return {
    translator,
    translate: (sql) => translator.translate(sql),
    query: (sql) => read(connection, translator.translate(sql)),
    run: (sql) => read(connection, sql),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
