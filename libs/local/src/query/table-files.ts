import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, quoteLiteral } from '../duckdb';
import type { TableSource } from '../catalog';
import { walkFiles } from '../storage/inside';

/**
 * What a table reads: first an empty Parquet file with the catalog's columns, then its objects. DuckDB binds a
 * multi-file read to the first file's schema; with a lake object first, a query filtered to one hour would still
 * open that object (and fail on it if it is corrupt), and a new column would depend on which file sorts first.
 * With the catalog's own file first, the columns come from the catalog, as in Athena, and a partition filter opens
 * only its folders' files.
 */
export interface TableFiles extends TableSource {
  /** The schema file, then the objects: the folder's glob, or (when a link is in the folder) each file by name. */
  files: string[];
}

/** The folder the schema files of one engine are written to; removed when it closes. */
export async function schemaFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lakehouse-schema-'));
}

export function removeSchemaFolder(folder: string): Promise<void> {
  return rm(folder, { recursive: true, force: true });
}

/**
 * The files of each table. The objects are found by walking the folder, never through a link: when the walk meets
 * one, the table reads the files it found by name (DuckDB's glob would follow the link); otherwise the glob, which
 * keeps the statement short for a folder of many objects.
 */
export async function tableFiles(connection: DuckDBConnection, sources: readonly TableSource[], folder: string): Promise<TableFiles[]> {
  return Promise.all(
    sources.map(async (source, i) => {
      // Hive folders with a value that parses as any partition type; the file holds no row, so 0 is never seen.
      const hive = source.partitions.map((p) => `${p.name}=0`);
      const dir = join(folder, String(i), ...hive);
      await mkdir(dir, { recursive: true });
      const schema = join(dir, 'schema.parquet');
      const columns = source.columns.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${quoteIdentifier(c.name)}`);
      await connection.run(`COPY (SELECT ${columns.join(', ')} WHERE false) TO ${quoteLiteral(schema)} (FORMAT parquet)`);
      const walk = await walkFiles(source.folder, (name) => name.endsWith('.parquet'));
      const objects = walk.skipped.length === 0 && walk.files.length > 0 ? [`${source.folder}/**/*.parquet`] : walk.files;
      return { ...source, files: [schema, ...objects] };
    }),
  );
}
