import { join } from 'node:path';
import { glueTableDefinition, PARTITION_COLUMN_TYPE, type GlueTableDefinition, type PipelineSettings } from '@lakehouse/pipeline';
import { type LocalLayout } from './layout';
import { COLUMN_TYPES } from '@lakehouse/schema';
import { LakehouseError } from '@lakehouse/runtime';
import { readStateFile, writeFileDurably } from './storage/durable';

/**
 * The Glue Data Catalog, locally: databases and their table definitions in one JSON file. The delivery writes the
 * environment's table (from the same definition the AWS stack deploys); the query layer reads every table from it.
 */
export interface LocalCatalog {
  version: 1;
  databases: Record<string, { tables: Record<string, GlueTableDefinition> }>;
}

/** Reads the catalog; undefined when there is none yet. */
export function readCatalog(file: string): Promise<LocalCatalog | undefined> {
  return readStateFile<LocalCatalog>(
    file,
    (json) => json.version === 1 && typeof json.databases === 'object' && json.databases !== null,
    'is not a catalog this lakehouse wrote; delete it and start the lakehouse again to rewrite it',
  );
}

/** Registers (or updates) the environment's database and table, keeping any other environments' entries. */
export async function registerTable(layout: LocalLayout, settings: PipelineSettings): Promise<GlueTableDefinition> {
  const table = glueTableDefinition(settings, layout.bucket);
  const catalog = (await readCatalog(layout.catalogFile)) ?? { version: 1, databases: {} };
  const database = (catalog.databases[table.databaseName] ??= { tables: {} });
  database.tables[table.name] = table;
  await writeFileDurably(layout.catalogFile, `${JSON.stringify(catalog, null, 2)}\n`);
  return table;
}

/** Where a table's files are and how DuckDB should type its columns. */
export interface TableSource {
  database: string;
  table: string;
  /** The folder of `s3://<bucket>/<prefix>` in the local bucket tree. */
  folder: string;
  columns: Array<{ name: string; duckdbType: string }>;
  partitions: Array<{ name: string; duckdbType: string }>;
}

const S3_LOCATION = /^s3:\/\/([^/]+)\/(.*)$/;

/** Glue type → DuckDB type, read off the same table that typed the Glue columns. */
function duckdbTypeOf(glueType: string, where: string): string {
  if (glueType === PARTITION_COLUMN_TYPE.glue) return PARTITION_COLUMN_TYPE.duckdb;
  const match = Object.values(COLUMN_TYPES).find((t) => t.glue === glueType);
  if (!match) throw new LakehouseError('lakehouse', `${where}: Glue type "${glueType}" has no DuckDB type here`);
  return match.duckdb;
}

/** The local source of a catalog table: its location mapped into `<dataDir>/s3/<bucket>/…`. */
export function tableSource(table: GlueTableDefinition, dataDir: string): TableSource {
  const location = S3_LOCATION.exec(table.location);
  if (!location) throw new LakehouseError('lakehouse', `${table.databaseName}.${table.name}: location ${table.location} is not an s3:// location`);
  const [, bucket = '', prefix = ''] = location;
  const where = `${table.databaseName}.${table.name}`;
  return {
    database: table.databaseName,
    table: table.name,
    folder: join(dataDir, 's3', bucket, prefix).replace(/\/$/, ''),
    columns: table.columns.map((c) => ({ name: c.name, duckdbType: duckdbTypeOf(c.type, `${where}.${c.name}`) })),
    partitions: table.partitionKeys.map((k) => ({ name: k.name, duckdbType: duckdbTypeOf(k.type, `${where}.${k.name}`) })),
  };
}
