import { join } from 'node:path';
import { glueTableDefinition, PARTITION_COLUMN_TYPE, type GlueTableDefinition, type PipelineSettings } from '@lakehouse/pipeline';
import { type LocalLayout } from './layout';
import { COLUMN_TYPES } from '@lakehouse/schema';
import { displayPath, LakehouseError } from '@lakehouse/runtime';
import { readStateFile, writeFileDurably } from './storage/durable';
import { isWithin, realPathOf } from './storage/inside';

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
  // Another environment's table is kept, but only if its files are in the lake: its folder is what queries may read.
  await tableSources(catalog, layout.dir, layout.catalogFile);
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
  const buckets = join(dataDir, 's3');
  const folder = join(buckets, bucket, prefix).replace(/\/$/, '');
  // `s3://b/../../..` would make the sandbox allow a folder out of the lake (up to /).
  if (!isWithin(buckets, folder) || folder === buckets || bucket === '.' || bucket === '..' || bucket === '')
    throw new LakehouseError('lakehouse', `${where}: location ${table.location} is not a folder of a bucket in the lake (a name is . or ..)`);
  return {
    database: table.databaseName,
    table: table.name,
    folder,
    columns: table.columns.map((c) => ({ name: c.name, duckdbType: duckdbTypeOf(c.type, `${where}.${c.name}`) })),
    partitions: table.partitionKeys.map((k) => ({ name: k.name, duckdbType: duckdbTypeOf(k.type, `${where}.${k.name}`) })),
  };
}

/**
 * Every table's source, each checked to be a folder of the lake once links are resolved: a catalog that points a
 * table out of the lake (`../`, or a linked folder) is refused before a query can read through it.
 */
export async function tableSources(catalog: LocalCatalog, dataDir: string, catalogFile: string): Promise<TableSource[]> {
  const fix = `fix or remove the table in ${displayPath(catalogFile)}`;
  const realLake = (await realPathOf(dataDir)) ?? dataDir;
  const sources: TableSource[] = [];
  for (const { tables } of Object.values(catalog.databases))
    for (const table of Object.values(tables)) {
      let source: TableSource;
      try {
        source = tableSource(table, dataDir);
      } catch (error) {
        throw new LakehouseError('lakehouse', `${(error as Error).message}: ${fix}`, { cause: error });
      }
      const real = await realPathOf(source.folder);
      if (real !== undefined && !isWithin(realLake, real))
        throw new LakehouseError('lakehouse', `${source.database}.${source.table}: its folder is a link out of the lake folder: ${fix}, or remove the link`);
      sources.push(source);
    }
  return sources;
}
