import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketListing, CatalogView, ConsoleInfo, NamedQuery, ObjectView, QueryResult } from '@lakehouse/console-api';
import { namedQueries, pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../layout';
import { glueColumns } from '@lakehouse/schema';
import { buildLake } from '../testing/lake';
import { encode, eventRecords } from '../testing/records';
import type { ConsoleServer } from './server';
import { startConsole } from './start-console';

const settings = pipelineSettings('dev');
const BAD = ['not json at all', '{"uuid": "x", "phone": "not a number"}', '{"broken'];

/** A console build as Vite writes one: index.html with the nonce placeholder, hashed assets. */
async function fixtureBuild(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><style nonce="__CSP_NONCE__">body{}</style><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  await writeFile(join(dir, 'assets', 'app-1a2b.js'), 'console.log("console")');
}

describe('the console server over a lake folder', () => {
  let dir: string;
  let server: ConsoleServer;
  let origin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-'));
    await fixtureBuild(join(dir, 'dist'));
    const lakeDir = join(dir, 'lake');
    await buildLake(lakeDir, [...eventRecords(50).map(encode), ...BAD.map(encode)]);
    server = await startConsole({ settings, layout: localLayout(lakeDir, settings), port: 0, assetsDir: join(dir, 'dist') });
    origin = server.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers });
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await get(path);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };
  const query = (body: unknown) =>
    fetch(`${origin}/api/query`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the page with a fresh nonce each load, in its policy and its style tag, never cached', async () => {
    const [first, second] = await Promise.all([get('/'), get('/bucket/events/')]);
    const nonces = await Promise.all(
      [first, second].map(async (response) => {
        const nonce = /nonce="([^"]+)"/.exec(await response.text())?.[1];
        expect(response.headers.get('content-security-policy')).toContain(`style-src 'self' 'nonce-${nonce}'`);
        expect(response.headers.get('cache-control')).toBe('no-store');
        return nonce;
      }),
    );
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends the security headers on every response', async () => {
    for (const path of ['/', '/assets/app-1a2b.js', '/api/info', '/nope.js']) {
      const { headers } = await get(path);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  it('serves built files from memory, hashed ones cached for good, and nothing else', async () => {
    const asset = await get('/assets/app-1a2b.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("console")');
    expect((await get('/assets/other.js')).status).toBe(404);
    expect((await get('/assets/../../lake/catalog.json')).status).not.toBe(200);
    expect((await get('/%2e%2e/lake/catalog.json')).status).toBe(404);
  });

  /** The status of a GET with headers fetch won't set (Host). */
  const rawStatus = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: new URL(origin).port, path, headers }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });

  it('refuses a foreign Host and Origin before answering', async () => {
    expect(await rawStatus('/api/info', { host: `evil.example:${new URL(origin).port}` })).toBe(421);
    expect(await rawStatus('/api/info', { host: `localhost:${new URL(origin).port}` })).toBe(200);
    expect((await get('/api/info', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await fetch(`${origin}/api/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"sql":"SELECT 1"}' })).status).toBe(
      403,
    );
  });

  it('says what it serves: a folder, its environment, the names AWS would use', async () => {
    const info = await getJson<ConsoleInfo>('/api/info');
    expect(info).toMatchObject({
      mode: 'folder',
      environment: 'dev',
      streamName: settings.streamName,
      database: settings.databaseName,
      table: settings.tableName,
      errorPrefix: 'errors/',
      historySeconds: 900,
    });
    expect(info.kinesisEndpoint).toBeUndefined();
  });

  it('has no live metrics in folder mode, and says why', async () => {
    const response = await get('/api/events');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/reads a lake folder/);
  });

  it('lists the bucket one level at a time, each object with its rows', async () => {
    const top = await getJson<BucketListing>('/api/bucket?prefix=');
    expect(top).toMatchObject({ bucket: localLayout(dir, settings).bucket, prefix: '', folders: ['errors/', 'events/'], objects: [] });
    // Down the time folders to the objects: the data rows add up to what was delivered.
    let listing = await getJson<BucketListing>('/api/bucket?prefix=events/');
    while (listing.objects.length === 0) listing = await getJson<BucketListing>(`/api/bucket?prefix=${encodeURIComponent(listing.folders[0] ?? '')}`);
    expect(listing.folders).toEqual([]);
    expect(listing.objects.every((o) => o.kind === 'data' && o.key.endsWith('.parquet') && o.bytes > 0)).toBe(true);
    expect(listing.objects.reduce((n, o) => n + o.rows, 0)).toBe(50);
  });

  it('lists an absent folder as empty, as S3 does, and refuses a path out of the bucket', async () => {
    expect(await getJson<BucketListing>('/api/bucket?prefix=nothing/here/')).toMatchObject({ folders: [], objects: [] });
    for (const prefix of ['../', 'events/../../', 'events', '/etc/', 'a//b/', 'a\\b/']) {
      const response = await get(`/api/bucket?prefix=${encodeURIComponent(prefix)}`);
      expect(response.status, prefix).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^prefix ".*" is not a folder of the bucket/);
    }
  });

  /** The first object under a prefix, walking down its first folders. */
  async function firstObject(prefix: string): Promise<string> {
    let listing = await getJson<BucketListing>(`/api/bucket?prefix=${encodeURIComponent(prefix)}`);
    while (listing.objects.length === 0) listing = await getJson<BucketListing>(`/api/bucket?prefix=${encodeURIComponent(listing.folders[0] ?? '')}`);
    return listing.objects[0]?.key ?? '';
  }

  it('shows a Parquet object: the schema from libs/schema, typed in Parquet, and its first rows', async () => {
    const view = await getJson<ObjectView>(`/api/object?key=${encodeURIComponent(await firstObject('events/'))}`);
    if (view.kind !== 'data') throw new Error(`expected a data object, got ${view.kind}`);
    expect(view.schema.map((c) => c.name)).toEqual(glueColumns().map((c) => c.name));
    expect(view.schema.find((c) => c.name === 'event_date')?.type).toMatch(/^INT64 \(TIMESTAMP/);
    expect(view.firstRows.rows).toHaveLength(20);
    // Typed as a query's result shows them (Athena's names for the Glue types).
    expect(view.firstRows.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'uuid varchar',
      'event_date timestamp(3)',
      'status varchar',
      'name varchar',
      'last_name varchar',
      'email varchar',
      'phone bigint',
    ]);
    // As a query shows them: timestamps with milliseconds.
    expect(view.firstRows.rows[0]?.[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('shows an error object: each record’s error code and the text it came as', async () => {
    const key = await firstObject('errors/');
    // dev partitions by event time: records with no usable event_date fail partitioning before conversion.
    expect(key.split('/')[1]).toBe(settings.partitioning === 'event-time' ? 'partitioning-failed' : 'format-conversion-failed');
    const view = await getJson<ObjectView>(`/api/object?key=${encodeURIComponent(key)}`);
    if (view.kind !== 'error') throw new Error(`expected an error object, got ${view.kind}`);
    expect(view.rows).toBe(3);
    expect(view.records.map((r) => r.rawText).sort()).toEqual([...BAD].sort());
    expect(view.records.every((r) => r.lastErrorCode.length > 0 && r.lastErrorMessage.length > 0)).toBe(true);
  });

  it('says which object is missing', async () => {
    const response = await get('/api/object?key=events/none.parquet');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no object events/none.parquet in the bucket' });
  });

  it('shows the catalog table, its columns derived from the schema', async () => {
    const catalog = await getJson<CatalogView>('/api/catalog');
    expect(catalog.columns).toEqual(glueColumns());
    expect(catalog.partitionKeys.map((k) => k.name)).toEqual(['year', 'month', 'day', 'hour']);
    expect(catalog.parameters['projection.enabled']).toBe('true');
    expect(catalog.derivedFrom).toMatch(/libs\/schema/);
    expect(catalog.partitioning).toMatchObject({ mode: settings.partitioning, prefix: settings.firehosePrefix });
    expect(catalog.partitioning.query === undefined).toBe(settings.partitioning === 'arrival');
  });

  it('offers the workgroup’s saved queries, each of which runs here unchanged', async () => {
    const queries = await getJson<NamedQuery[]>('/api/named-queries');
    expect(queries).toEqual(namedQueries(settings.databaseName, settings.tableName));
    for (const { name, sql } of queries) expect((await query({ sql })).status, name).toBe(200);
    const rowCount = (await (await query({ sql: queries.find((q) => q.name === 'row-count')?.sql })).json()) as QueryResult;
    expect(rowCount.rows).toEqual([['50']]);
  });

  it('runs a query in Athena’s SQL and answers rows as text', async () => {
    const response = await query({ sql: 'SELECT status, count(*) AS n FROM events GROUP BY status ORDER BY status' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as QueryResult;
    expect(result.columns.map((c) => c.name)).toEqual(['status', 'n']);
    expect(result.rows.reduce((n, row) => n + Number(row[1]), 0)).toBe(50);
    expect(result.rows).toHaveLength(3);
    expect(result.truncated).toBeUndefined();
  });

  it('sends every row as a CSV or JSON download', async () => {
    const csv = await query({ sql: 'SELECT uuid FROM events', format: 'csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="events-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv"$/);
    expect((await csv.text()).split('\n')).toHaveLength(51);
    const json = await query({ sql: 'SELECT phone FROM events ORDER BY phone LIMIT 2', format: 'json' });
    expect(await json.json()).toEqual([{ phone: 900_000_000 }, { phone: 900_000_001 }]);
  });

  it.each([
    [{ sql: '' }, 400, 'sql: expected the SQL text of a query'],
    [{ sql: 'SELECT 1', dialect: 'mysql' }, 400, 'dialect: expected one of athena, duckdb, got "mysql"'],
    [{ sql: 'SELECT 1', format: 'xlsx' }, 400, 'format: expected one of table, csv, json, got "xlsx"'],
    [[1, 2], 400, 'the request body must be a JSON object with "sql"'],
  ])('names the field of a bad query request: %j', async (body, status, error) => {
    const response = await query(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error });
  });

  it('says where a syntax error is: line and column in the SQL as sent', async () => {
    const response = await query({ sql: 'SELECT status,\n  count(*\nFROM events' });
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: string; line?: number; column?: number };
    expect(error).toMatchObject({ line: 3, column: 1 });
    expect(error.error).not.toContain('\n');
  });

  it('runs DuckDB’s own SQL when asked: the dialect decides what 5 / 2 is', async () => {
    const answer = async (dialect: string) => ((await (await query({ sql: 'SELECT 5 / 2 AS x', dialect })).json()) as QueryResult).rows;
    expect(await answer('athena')).toEqual([['2']]);
    expect(await answer('duckdb')).toEqual([['2.5']]);
  });

  it('answers a SQL error in one line, with a query status', async () => {
    const response = await query({ sql: 'SELECT nope FROM events' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(/nope/);
    expect(error).not.toContain('\n');
  });

  it('refuses a body that is not JSON', async () => {
    const response = await fetch(`${origin}/api/query`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{sql' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the body is not JSON' });
  });
});

describe('a console that cannot start says why in one line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-fail-'));
    await fixtureBuild(join(dir, 'dist'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const start = (assetsDir: string, port: number) => startConsole({ settings, layout: localLayout(join(dir, 'lake'), settings), assetsDir, port });

  it('not built', async () => {
    await expect(start(join(dir, 'none'), 0)).rejects.toThrow(/^the console is not built \(.+none is missing\): run "nx run console:build"$/);
  });

  it('its port taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    try {
      await expect(start(join(dir, 'dist'), (taken.address() as { port: number }).port)).rejects.toThrow(
        /^the console could not start: port \d+ on 127\.0\.0\.1 is in use \(0 picks a free one\)$/,
      );
    } finally {
      taken.close();
    }
  });
});
