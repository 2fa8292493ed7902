import { eventRecordSchema, type RecordSchema } from './event-record';
import { fieldsOf, type ColumnKind, UnmappableFieldError } from './fields';

/** How each column kind is typed in Glue (Athena/Hive DDL), DuckDB and Parquet. */
export const COLUMN_TYPES: Readonly<Record<ColumnKind, { glue: string; duckdb: string; parquet: string }>> = {
  string: { glue: 'string', duckdb: 'VARCHAR', parquet: 'BYTE_ARRAY (STRING)' },
  // Athena's timestamp has no zone; values are UTC instants, as Firehose writes them.
  timestamp: { glue: 'timestamp', duckdb: 'TIMESTAMP', parquet: 'INT64 (TIMESTAMP_MICROS)' },
  date: { glue: 'date', duckdb: 'DATE', parquet: 'INT32 (DATE)' },
  bigint: { glue: 'bigint', duckdb: 'BIGINT', parquet: 'INT64' },
  double: { glue: 'double', duckdb: 'DOUBLE', parquet: 'DOUBLE' },
  boolean: { glue: 'boolean', duckdb: 'BOOLEAN', parquet: 'BOOLEAN' },
};

export interface GlueColumn {
  name: string;
  type: string;
  comment?: string;
}

export interface ParquetColumn {
  name: string;
  /** The JSON key the value is read from (the OpenX JSON SerDe's mapping). */
  jsonKey: string;
  kind: ColumnKind;
  duckdbType: string;
  parquetType: string;
  nullable: boolean;
}

const HIVE_COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;
const GLUE_COMMENT_MAX = 255;

/** Hive column names are lower case; a JSON key that isn't needs a SerDe mapping. */
export function columnNameOf(jsonKey: string): string {
  const name = jsonKey.toLowerCase();
  if (!HIVE_COLUMN_NAME.test(name)) {
    throw new UnmappableFieldError(jsonKey, 'a Glue column name must match [a-z_][a-z0-9_]*');
  }
  return name;
}

/** The Glue table's columns, typed, with the schema's descriptions as comments. */
export function glueColumns(schema: RecordSchema = eventRecordSchema): GlueColumn[] {
  return fieldsOf(schema).map((f) => ({
    name: columnNameOf(f.key),
    type: COLUMN_TYPES[f.kind].glue,
    ...(f.description ? { comment: f.description.slice(0, GLUE_COMMENT_MAX) } : {}),
  }));
}

/** The Parquet file's columns, in table order, with their DuckDB and Parquet types. */
export function parquetColumns(schema: RecordSchema = eventRecordSchema): ParquetColumn[] {
  return fieldsOf(schema).map((f) => ({
    name: columnNameOf(f.key),
    jsonKey: f.key,
    kind: f.kind,
    duckdbType: COLUMN_TYPES[f.kind].duckdb,
    parquetType: COLUMN_TYPES[f.kind].parquet,
    nullable: !f.required || f.nullable,
  }));
}

/** What the OpenX JSON SerDe needs: the column list, and a mapping for every JSON key that isn't its column name. */
export function jsonSerDeColumns(schema: RecordSchema = eventRecordSchema): {
  columnNames: string[];
  columnToJsonKeyMappings: Record<string, string>;
} {
  const columns = parquetColumns(schema);
  return {
    columnNames: columns.map((c) => c.name),
    columnToJsonKeyMappings: Object.fromEntries(columns.filter((c) => c.name !== c.jsonKey).map((c) => [c.name, c.jsonKey])),
  };
}
