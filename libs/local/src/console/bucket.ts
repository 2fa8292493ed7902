import type { Dirent } from 'node:fs';
import type { DuckDBType } from '@duckdb/node-api';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BucketListing, BucketObject, ErrorRecordView, ObjectView, QueryResult } from '@lakehouse/console-api';
import { parseErrorObjectBody, type ErrorRecord } from '@lakehouse/firehose';
import { LakehouseError } from '@lakehouse/runtime';
import { openDuckDb, quoteLiteral, type DuckDbSession } from '../duckdb';
import { athenaText, athenaType, type ValueText } from '../query/athena-values';

/** Rows an object's view shows: enough to see what the records look like. */
export const FIRST_ROWS = 20;
/** Error records an object's view decodes. */
export const ERROR_RECORDS_SHOWN = 1_000;

/** A key or prefix as S3 has them: `/`-separated names, none empty, `.` or `..`; nothing that could leave the bucket. */
function checkKey(key: string, what: 'key' | 'prefix'): void {
  const names = (what === 'prefix' ? key.replace(/\/$/, '') : key).split('/');
  const bad = key.includes('\\') || key.includes('\0') || (key !== '' && names.some((n) => n === '' || n === '.' || n === '..'));
  if (bad || (what === 'prefix' && key !== '' && !key.endsWith('/')) || (what === 'key' && key === '')) {
    throw new LakehouseError(
      'usage',
      `${what} "${key}" is not ${what === 'prefix' ? 'a folder of the bucket (names separated by /, ending in /)' : 'an object key of the bucket'}`,
    );
  }
}

const isHidden = (entry: Dirent) => entry.name.startsWith('.');

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** What the view of an error object shows of one record: why it failed and the bytes it came as. */
function errorRecordView(record: ErrorRecord): ErrorRecordView {
  // Conversion failures say lastErrorCode; partitioning failures errorCode (Firehose's processing-failure shape).
  const [code, message] = 'lastErrorCode' in record ? [record.lastErrorCode, record.lastErrorMessage] : [record.errorCode, record.errorMessage];
  return {
    lastErrorCode: code,
    lastErrorMessage: message,
    rawText: textDecoder.decode(Buffer.from(record.rawData, 'base64')),
    arrivalTimestamp: record.arrivalTimestamp,
    sequenceNumber: record.sequenceNumber,
  };
}

/**
 * The bucket folder as S3's console shows a bucket: one level at a time, each object with its size, time and
 * rows (a Parquet object's from its footer, an error object's lines). Row counts are cached by file and mtime:
 * objects never change once in place, so a page refreshing a folder reads only new ones.
 */
export class BucketBrowser {
  private readonly rows = new Map<string, { modified: number; rows: number }>();
  private session: Promise<DuckDbSession> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly bucket: string,
    private readonly bucketDir: string,
    /** Keys under it hold error objects (Firehose's error output prefix, up to its first expression). */
    private readonly errorRoot: string,
  ) {}

  async list(prefix: string): Promise<BucketListing> {
    checkKey(prefix, 'prefix');
    const entries = await readdir(join(this.bucketDir, prefix), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []; // S3 lists an absent prefix as empty
      throw error;
    });
    const folders = entries.filter((e) => e.isDirectory() && !isHidden(e)).map((e) => `${prefix}${e.name}/`);
    const files = entries.filter((e) => e.isFile() && !isHidden(e)).map((e) => `${prefix}${e.name}`);
    const objects = await this.describe(files);
    return { bucket: this.bucket, prefix, folders: folders.sort(), objects: objects.sort((a, b) => a.key.localeCompare(b.key)) };
  }

  async object(key: string): Promise<ObjectView> {
    checkKey(key, 'key');
    const path = join(this.bucketDir, key);
    const [described] = await this.describe([key]).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EISDIR') throw new LakehouseError('missing', `no object ${key} in the bucket`, { cause: error });
      throw error;
    });
    const { bytes, rows } = described as BucketObject;
    if (this.kindOf(key) === 'error') {
      const records = parseErrorObjectBody<ErrorRecord>(await readFile(path, 'utf8'))
        .slice(0, ERROR_RECORDS_SHOWN)
        .map(errorRecordView);
      return { kind: 'error', key, bytes, rows, records };
    }
    const schema = await this.sql(
      `SELECT name, type, converted_type FROM parquet_schema(${quoteLiteral(path)}) WHERE num_children IS NULL ORDER BY column_id`,
      (rows) =>
        rows.map(([name, type, converted]) => ({ name: String(name), type: converted === null ? String(type) : `${String(type)} (${String(converted)})` })),
    );
    const firstRows = await this.sql(`SELECT * FROM read_parquet(${quoteLiteral(path)}, hive_partitioning = false) LIMIT ${FIRST_ROWS}`, (_, reader) => reader);
    return { kind: 'data', key, bytes, rows, schema, firstRows };
  }

  close(): void {
    void this.session?.then((s) => s.close()).catch(() => undefined);
  }

  private kindOf(key: string): 'data' | 'error' {
    return key.startsWith(this.errorRoot) ? 'error' : 'data';
  }

  /** Size, time and rows of each key, reading only objects not seen before. */
  private async describe(keys: readonly string[]): Promise<BucketObject[]> {
    const stats = await Promise.all(keys.map(async (key) => ({ key, path: join(this.bucketDir, key), stats: await stat(join(this.bucketDir, key)) })));
    const unknown = stats.filter(({ path, stats: s }) => this.rows.get(path)?.modified !== s.mtimeMs);
    const parquet = unknown.filter(({ key }) => this.kindOf(key) === 'data').map(({ path }) => path);
    const counted = new Map<string, number>();
    if (parquet.length > 0) {
      const list = `[${parquet.map(quoteLiteral).join(', ')}]`;
      await this.sql(`SELECT file_name, num_rows FROM parquet_file_metadata(${list})`, (rows) =>
        rows.forEach(([file, n]) => counted.set(String(file), Number(n))),
      );
    }
    for (const { key, path } of unknown) {
      // One JSON document per line, each ending in a newline.
      if (this.kindOf(key) === 'error')
        counted.set(
          path,
          (await readFile(path)).reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0),
        );
    }
    for (const { path, stats: s } of unknown) this.rows.set(path, { modified: s.mtimeMs, rows: counted.get(path) ?? 0 });
    return stats.map(({ key, path, stats: s }) => ({
      key,
      bytes: s.size,
      modified: Math.round(s.mtimeMs),
      kind: this.kindOf(key),
      rows: this.rows.get(path)?.rows ?? 0,
    }));
  }

  /** Runs one statement on the browser's own DuckDB session, one at a time. */
  private sql<T>(sql: string, read: (rows: unknown[][], response: QueryResult) => T): Promise<T> {
    const run = async () => {
      this.session ??= openDuckDb();
      const reader = await (await this.session).connection.runAndReadAll(sql);
      const types = reader.columnTypes();
      const rows = reader.getRows();
      // Values and types as a query shows them (Athena's way), so an object looks like its rows in the table.
      const texts = types.map(athenaText);
      const response: QueryResult = {
        columns: reader.columnNames().map((name, i) => ({ name, type: athenaType(types[i] as DuckDBType) })),
        rows: rows.map((row) => row.map((v, i) => (texts[i] as ValueText)(v))),
        elapsedMs: 0,
      };
      return read(rows, response);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
