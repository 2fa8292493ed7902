import type { Dirent, Stats } from 'node:fs';
import type { DuckDBType } from '@duckdb/node-api';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BucketListing, BucketObject, ErrorRecordView, ObjectView, QueryResult } from '@lakehouse/console-api';
import { parseErrorObjectBody, type ErrorRecord } from '@lakehouse/firehose';
import { LakehouseError } from '@lakehouse/runtime';
import { openDuckDb, quoteLiteral, type DuckDbSession } from '../duckdb';
import { athenaText, athenaType, type ValueText } from '../query/athena-values';
import { parquetProblem } from '../query/parquet-problem';
import { reachedWithoutLinks } from '../storage/inside';

/** Rows an object's view shows: enough to see what the records look like. */
export const FIRST_ROWS = 20;
/** Error records an object's view decodes. */
export const ERROR_RECORDS_SHOWN = 1_000;

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** What the listing says of a link, and opening one: it is never followed, wherever it points. */
const LINK_PROBLEM = "a symbolic link: the console doesn't follow links";
const NOT_A_FILE = 'not a file (a FIFO, a socket or a device): the console reads only files';

/** A key or prefix as S3 has them: `/`-separated names, none empty, `.` or `..`; nothing that could leave the bucket. */
function checkKey(key: string, what: 'key' | 'prefix'): void {
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES)
    throw new LakehouseError('usage', `${what} is ${bytes.toLocaleString('en-US')} bytes; S3 keys are at most ${MAX_KEY_BYTES.toLocaleString('en-US')}`);
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

/** What describe() says of a folder named as an object: there is no such object. */
const DIRECTORY = 'a folder';

/** Why an entry that is not a file is not read. */
function problemOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return LINK_PROBLEM;
  if (stats.isDirectory()) return DIRECTORY;
  return NOT_A_FILE;
}

/** The records of an error object, each checked: an object that isn't Firehose's error output says so in one line. */
function errorRecords(key: string, body: string): ErrorRecord[] {
  return body
    .split('\n')
    .map((line, i) => ({ line, at: i + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, at }) => {
      let record: Partial<ErrorRecord> | undefined;
      try {
        record = parseErrorObjectBody<ErrorRecord>(line)[0];
      } catch {
        record = undefined;
      }
      if (typeof record !== 'object' || record === null || typeof record.rawData !== 'string')
        throw new LakehouseError('rejected', `object ${key} can't be read: line ${at} is not an error record as Firehose writes them (JSON with rawData)`);
      return record as ErrorRecord;
    });
}

/**
 * The bucket folder as S3's console shows a bucket: one level at a time, each object with its size, time and
 * rows (a Parquet object's from its footer, an error object's lines). Row counts are cached by file and mtime:
 * objects never change once in place, so a page refreshing a folder reads only new ones.
 */
export class BucketBrowser {
  private readonly rows = new Map<string, { modified: number; rows: number; problem?: string }>();
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
    const folder = join(this.bucketDir, prefix);
    if (!(await reachedWithoutLinks(this.bucketDir, folder)))
      throw new LakehouseError('rejected', `prefix "${prefix}" goes through a symbolic link: the console doesn't follow links`);
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []; // S3 lists an absent prefix as empty
      throw error;
    });
    const shown = entries.filter((e) => !isHidden(e));
    const folders = shown.filter((e) => e.isDirectory()).map((e) => `${prefix}${e.name}/`);
    // Links and special files are listed as objects that can't be read, never followed or opened.
    const files = shown.filter((e) => !e.isDirectory()).map((e) => `${prefix}${e.name}`);
    const objects = await this.describe(files);
    return { bucket: this.bucket, prefix, folders: folders.sort(), objects: objects.sort((a, b) => a.key.localeCompare(b.key)) };
  }

  async object(key: string): Promise<ObjectView> {
    checkKey(key, 'key');
    const path = join(this.bucketDir, key);
    const missing = () => new LakehouseError('missing', `no object ${key} in the bucket`);
    // The object itself may be a link (describe() says so, from lstat); the folders above it may not.
    if (!(await reachedWithoutLinks(this.bucketDir, dirname(path))))
      throw new LakehouseError('rejected', `object ${key} is reached through a symbolic link: the console doesn't follow links`);
    const [described] = await this.describe([key]).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw missing();
      throw error;
    });
    const { bytes, rows, problem } = described as BucketObject;
    if (problem === DIRECTORY) throw missing();
    if (problem !== undefined) throw new LakehouseError('rejected', `object ${key} can't be read: ${problem}`);
    const unreadable = (error: unknown) => {
      const reason = parquetProblem((error as Error).message)?.reason;
      if (reason === undefined) throw error;
      throw new LakehouseError('rejected', `object ${key} can't be read: a corrupt Parquet file (${reason})`, { cause: error });
    };
    if (this.kindOf(key) === 'error') {
      const records = errorRecords(key, await readFile(path, 'utf8'))
        .slice(0, ERROR_RECORDS_SHOWN)
        .map(errorRecordView);
      return { kind: 'error', key, bytes, rows, records };
    }
    const schema = await this.sql(
      `SELECT name, type, converted_type FROM parquet_schema(${quoteLiteral(path)}) WHERE num_children IS NULL ORDER BY column_id`,
      (rows) =>
        rows.map(([name, type, converted]) => ({ name: String(name), type: converted === null ? String(type) : `${String(type)} (${String(converted)})` })),
    ).catch(unreadable);
    const firstRows = await this.sql(
      `SELECT * FROM read_parquet(${quoteLiteral(path)}, hive_partitioning = false) LIMIT ${FIRST_ROWS}`,
      (_, reader) => reader,
    ).catch(unreadable);
    return { kind: 'data', key, bytes, rows, schema, firstRows };
  }

  close(): void {
    void this.session?.then((s) => s.close()).catch(() => undefined);
  }

  private kindOf(key: string): 'data' | 'error' {
    return key.startsWith(this.errorRoot) ? 'error' : 'data';
  }

  /**
   * Size, time and rows of each key, reading only objects not seen before. A link or a special file is described
   * from itself (lstat), never opened; an object that can't be read gets its problem, and the others their rows.
   */
  private async describe(keys: readonly string[]): Promise<BucketObject[]> {
    const stats = await Promise.all(keys.map(async (key) => ({ key, path: join(this.bucketDir, key), stats: await lstat(join(this.bucketDir, key)) })));
    const files = stats.filter(({ stats: s }) => s.isFile());
    const unknown = files.filter(({ path, stats: s }) => this.rows.get(path)?.modified !== s.mtimeMs);
    const parquet = unknown.filter(({ key }) => this.kindOf(key) === 'data').map(({ path }) => path);
    const counted = new Map<string, { rows: number; problem?: string }>();
    await this.countParquetRows(parquet, counted);
    for (const { key, path } of unknown) {
      // One JSON document per line, each ending in a newline.
      if (this.kindOf(key) === 'error') counted.set(path, { rows: (await readFile(path)).reduce((n, byte) => (byte === 0x0a ? n + 1 : n), 0) });
    }
    for (const { path, stats: s } of unknown) this.rows.set(path, { modified: s.mtimeMs, ...(counted.get(path) ?? { rows: 0 }) });
    return stats.map(({ key, path, stats: s }) => {
      const problem = s.isFile() ? this.rows.get(path)?.problem : problemOf(s);
      return {
        key,
        bytes: s.isFile() ? s.size : 0,
        modified: Math.round(s.mtimeMs),
        kind: this.kindOf(key),
        rows: s.isFile() ? (this.rows.get(path)?.rows ?? 0) : 0,
        ...(problem === undefined ? {} : { problem }),
      };
    });
  }

  /** Rows from each Parquet footer, all in one statement; when one is corrupt, each file alone, so only it is marked. */
  private async countParquetRows(paths: readonly string[], counted: Map<string, { rows: number; problem?: string }>): Promise<void> {
    if (paths.length === 0) return;
    const read = (list: readonly string[]) =>
      this.sql(`SELECT file_name, num_rows FROM parquet_file_metadata([${list.map(quoteLiteral).join(', ')}])`, (rows) =>
        rows.forEach(([file, n]) => counted.set(String(file), { rows: Number(n) })),
      );
    try {
      await read(paths);
    } catch (error) {
      if (parquetProblem((error as Error).message) === undefined) throw error;
      for (const path of paths)
        await read([path]).catch((one: unknown) => {
          const reason = parquetProblem((one as Error).message)?.reason;
          if (reason === undefined) throw one;
          counted.set(path, { rows: 0, problem: `a corrupt Parquet file (${reason})` });
        });
    }
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
