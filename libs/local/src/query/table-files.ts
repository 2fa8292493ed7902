import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
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

let folder: Promise<string> | undefined;

/**
 * The folder of this process's (or worker's) schema files, made once and removed when it exits: a file per table
 * shape, written by the first engine that needs it and reused by the next ones.
 */
export function schemaFolder(): Promise<string> {
  folder ??= mkdtemp(join(tmpdir(), 'lakehouse-schema-')).then((dir) => {
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  return folder;
}

/** The schema file of a table's shape (its columns and partitions), written unless it is there. */
async function schemaFile(connection: DuckDBConnection, source: TableSource, dir: string): Promise<string> {
  const shape = createHash('sha256')
    .update(JSON.stringify([source.columns, source.partitions]))
    .digest('hex')
    .slice(0, 16);
  // Hive folders with a value that parses as any partition type; the file holds no row, so 0 is never seen.
  const folder = join(dir, shape, ...source.partitions.map((p) => `${p.name}=0`));
  const file = join(folder, 'schema.parquet');
  if (existsSync(file)) return file;
  await mkdir(folder, { recursive: true });
  const columns = source.columns.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${quoteIdentifier(c.name)}`);
  // Under a temporary name, then renamed: another engine of this process never reads a half-written file.
  const partial = join(folder, `schema-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  await connection.run(`COPY (SELECT ${columns.join(', ')} WHERE false) TO ${quoteLiteral(partial)} (FORMAT parquet)`);
  await rename(partial, file);
  return file;
}

/**
 * The files of each table. The objects are found by walking the folder, never through a link: when the walk meets
 * one, the table reads the files it found by name (DuckDB's glob would follow the link); otherwise the glob, which
 * keeps the statement short for a folder of many objects.
 */
export async function tableFiles(connection: DuckDBConnection, sources: readonly TableSource[], dir: string): Promise<TableFiles[]> {
  const files: TableFiles[] = [];
  for (const source of sources) {
    const schema = await schemaFile(connection, source, dir);
    const walk = await walkFiles(source.folder, (name) => name.endsWith('.parquet'));
    const objects = walk.skipped.length === 0 && walk.files.length > 0 ? [`${source.folder}/**/*.parquet`] : walk.files;
    files.push({ ...source, files: [schema, ...objects] });
  }
  return files;
}
