import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type BucketListing } from '@lakehouse/console-api';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../layout';
import { walkFiles } from '../storage/inside';
import { fixtureConsoleBuild } from '../testing/console-build';
import { Draw, fuzzHttp, type FuzzRequest, type FuzzResponse } from '../testing/http-fuzz';
import { buildLake } from '../testing/lake';
import { encode, eventRecords } from '../testing/records';
import type { ConsoleServer } from './server';
import { MAX_BODY_BYTES } from './security';
import { startConsole } from './start-console';

const settings = pipelineSettings('dev');
const SECRET = 'TOP-SECRET-CONTENT';
const LINK = "a symbolic link: the console doesn't follow links";

/**
 * The console over a lake that holds what a careless (or hostile) folder can: corrupt and empty objects beside good
 * ones, links out of the lake in events/ and errors/ (to a folder and to a file, /etc/passwd among them). One lake
 * for the whole file; the fuzz at the end runs against it too.
 */
let dir: string;
let outside: string;
let lakeDir: string;
let server: ConsoleServer;
let origin: string;
let port: number;
const keys = { good: '', corrupt: '', empty: '', passwd: '', secretFile: '', errorObject: '', errorPasswd: '', garbageError: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'console-contained-'));
  outside = await mkdtemp(join(tmpdir(), 'console-outside-'));
  await writeFile(join(outside, 'secret.txt'), `${SECRET}\n`);
  await writeFile(join(outside, 'secret.parquet'), SECRET);
  await fixtureConsoleBuild(join(dir, 'dist'));
  lakeDir = join(dir, 'lake');
  await buildLake(lakeDir, [...eventRecords(20).map(encode), ...['not json', '{"broken'].map(encode)]);
  const layout = localLayout(lakeDir, settings);
  const bucket = layout.bucketDir;
  const key = (path: string) => relative(bucket, path);
  const [good = ''] = (await walkFiles(join(bucket, 'events'), () => true)).files;
  const [errorObject = ''] = (await walkFiles(join(bucket, 'errors'), () => true)).files;
  const hour = dirname(good);
  const errorFolder = dirname(errorObject);
  await writeFile(join(hour, 'corrupt.parquet'), 'not parquet at all');
  await writeFile(join(hour, 'empty.parquet'), '');
  await writeFile(join(errorFolder, 'garbage'), 'not an error record\n');
  await symlink('/etc/passwd', join(hour, 'passwd.parquet'));
  await symlink(join(outside, 'secret.parquet'), join(hour, 'secret.parquet'));
  await symlink(outside, join(bucket, 'events', 'outside'));
  await symlink('/etc/passwd', join(errorFolder, 'passwd'));
  await symlink(outside, join(bucket, 'errors', 'outside'));
  Object.assign(keys, {
    good: key(good),
    corrupt: key(join(hour, 'corrupt.parquet')),
    empty: key(join(hour, 'empty.parquet')),
    passwd: key(join(hour, 'passwd.parquet')),
    secretFile: key(join(hour, 'secret.parquet')),
    errorObject: key(errorObject),
    errorPasswd: key(join(errorFolder, 'passwd')),
    garbageError: key(join(errorFolder, 'garbage')),
  });
  server = await startConsole({ settings, layout, port: 0, assetsDir: join(dir, 'dist') });
  origin = server.url.replace(/\/$/, '');
  port = Number(new URL(origin).port);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/**
 * Nothing a response says may show where the lake is, or what is in a file out of it, or where a link leads
 * (unless the request named that path itself: a refusal may quote what it refuses).
 */
function expectNothingLeaked(body: string, asked = '', isError = true): void {
  // The page's own info names the lake folder it shows; no error does.
  if (isError) expect(body).not.toContain(lakeDir);
  expect(body).not.toContain(outside);
  expect(body).not.toContain(SECRET);
  expect(body).not.toMatch(/root:.*:0:0:/);
  if (!asked.includes('etc/passwd')) expect(body).not.toContain('/etc/passwd');
}

async function api(path: string): Promise<{ status: number; body: string; json: unknown }> {
  const response = await fetch(`${origin}${path}`);
  const body = await response.text();
  expectNothingLeaked(body, '', response.status >= 400);
  return { status: response.status, body, json: JSON.parse(body) };
}
const listing = async (prefix: string) => (await api(`${API.bucket}?prefix=${encodeURIComponent(prefix)}`)).json as BucketListing;
const object = (key: string) => api(`${API.object}?key=${encodeURIComponent(key)}`);

describe('corrupt objects are contained', () => {
  it('the folder of a corrupt object still lists, each unreadable object marked with its reason', async () => {
    const hour = keys.good.slice(0, keys.good.lastIndexOf('/') + 1);
    const { objects } = await listing(hour);
    const byKey = new Map(objects.map((o) => [o.key, o]));
    expect(byKey.get(keys.good)).toMatchObject({ kind: 'data', rows: 20 });
    expect(byKey.get(keys.good)?.problem).toBeUndefined();
    expect(byKey.get(keys.corrupt)).toMatchObject({ rows: 0, problem: 'a corrupt Parquet file (no magic bytes found at end of file)' });
    expect(byKey.get(keys.empty)).toMatchObject({ bytes: 0, problem: 'a corrupt Parquet file (too small to be a Parquet file)' });
  });

  it.each([
    ['a corrupt object', () => keys.corrupt, 'a corrupt Parquet file (no magic bytes found at end of file)'],
    ['a zero-byte object', () => keys.empty, 'a corrupt Parquet file (too small to be a Parquet file)'],
    ['an error object that is not Firehose’s', () => keys.garbageError, 'line 1 is not an error record as Firehose writes them (JSON with rawData)'],
  ])('opening %s says why in one line, 422', async (_label, key, reason) => {
    const { status, json } = await object(key());
    expect(status).toBe(422);
    expect(json).toEqual({ error: `object ${key()} can't be read: ${reason}` });
  });

  it('the good objects beside them still open', async () => {
    expect((await object(keys.good)).status).toBe(200);
    expect((await object(keys.errorObject)).status).toBe(200);
  });
});

describe('nothing outside the lake: links in events/ and errors/ are shown, never followed', () => {
  it.each([['events/'], ['errors/']])('%s lists its link to a folder out of the lake as a link, not as a folder', async (prefix) => {
    const list = await listing(prefix);
    expect(list.folders).not.toContain(`${prefix}outside/`);
    expect(list.objects.find((o) => o.key === `${prefix}outside`)).toMatchObject({ bytes: 0, rows: 0, problem: LINK });
  });

  it('links to files out of the lake are listed as links, with no size or rows read through them', async () => {
    const hour = keys.good.slice(0, keys.good.lastIndexOf('/') + 1);
    const { objects } = await listing(hour);
    for (const key of [keys.passwd, keys.secretFile]) expect(objects.find((o) => o.key === key)).toMatchObject({ bytes: 0, rows: 0, problem: LINK });
    const errorFolder = keys.errorPasswd.slice(0, keys.errorPasswd.lastIndexOf('/') + 1);
    expect((await listing(errorFolder)).objects.find((o) => o.key === keys.errorPasswd)).toMatchObject({ problem: LINK });
  });

  it.each([
    ['a link to /etc/passwd in events/', () => `${API.object}?key=${encodeURIComponent(keys.passwd)}`, /^object \S+ can't be read: a symbolic link/],
    ['a link to a file out of the lake', () => `${API.object}?key=${encodeURIComponent(keys.secretFile)}`, /^object \S+ can't be read: a symbolic link/],
    ['a link to /etc/passwd in errors/', () => `${API.object}?key=${encodeURIComponent(keys.errorPasswd)}`, /^object \S+ can't be read: a symbolic link/],
    [
      'a file through a linked folder',
      () => `${API.object}?key=events/outside/secret.txt`,
      /^object events\/outside\/secret\.txt is reached through a symbolic link/,
    ],
    ['a listing through a linked folder (events/)', () => `${API.bucket}?prefix=events/outside/`, /^prefix "events\/outside\/" goes through a symbolic link/],
    ['a listing through a linked folder (errors/)', () => `${API.bucket}?prefix=errors/outside/`, /^prefix "errors\/outside\/" goes through a symbolic link/],
  ])('%s: refused in one line (422), nothing of the file in it', async (_label, path, message) => {
    const { status, json } = await api(path());
    expect(status).toBe(422);
    expect((json as { error: string }).error).toMatch(message);
    expect((json as { error: string }).error).not.toContain('\n');
  });
});

describe('messages', () => {
  it.each([
    ['key', `${API.object}?key=${'k'.repeat(5_000)}`, 'key is 5,000 bytes; S3 keys are at most 1,024'],
    ['prefix', `${API.bucket}?prefix=${'p/'.repeat(2_500)}`, 'prefix is 5,000 bytes; S3 keys are at most 1,024'],
  ])('a 5,000-character %s: one line, 400, no path', async (_label, path, error) => {
    const { status, json } = await api(path);
    expect(status).toBe(400);
    expect(json).toEqual({ error });
  });

  it('a corrupt file met by a query is named relative to the lake, never by its absolute path', async () => {
    const response = await fetch(`${origin}${API.query}`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT count(*) FROM events' }),
    });
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(
      /^corrupt Parquet file s3\/\S+\/(corrupt|empty)\.parquet \((no magic bytes found at end of file|too small to be a Parquet file)\); move it out/,
    );
    expectNothingLeaked(error);
  });

  it('a chunked body over 1 MiB: 413, as with a Content-Length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: API.query, headers: { origin, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) req.write(chunk);
      req.end('{}');
    });
    expect(status).toBe(413);
  });
});

const FUZZ_SEED = 7_031_2026;
const FUZZ_REQUESTS = 1_200;

/** Queries a page (or anyone) could send: cheap ones, refused ones, broken ones; none scans the corrupt hour. */
const SQL = [
  'SELECT 1',
  'SELECT count(*) FROM events WHERE hour = -1',
  'CHECKPOINT',
  "SELECT * FROM read_text('/etc/passwd')",
  "SELECT * FROM '/etc/passwd'",
  'SELECT (',
  `SELECT ${Array(1_200).fill('1').join(' + ')}`,
  'SET enable_external_access = true',
  'SELECT 1; SELECT 2',
  '',
  "SELECT 'a' || 1",
  'SELECT nope FROM events WHERE hour = -1',
];

/** Values of ?prefix= and ?key=: real ones, ways out, links, and noise. */
function pathValue(draw: Draw): string {
  return draw.pick([
    '',
    'events/',
    'errors/',
    'events/outside/',
    'events/outside',
    keys.good,
    keys.corrupt,
    keys.empty,
    keys.passwd,
    keys.errorPasswd,
    keys.garbageError,
    '../',
    '../../etc/passwd',
    '/etc/passwd',
    'events/../../',
    'a\\b',
    'a\u0000b',
    '%2e%2e/',
    'k'.repeat(draw.pick([1_025, 5_000])),
    draw.text(30),
    draw.text(10, 'é漢😀\u202e\ufffd/'),
  ]);
}

function consoleRequest(draw: Draw): FuzzRequest {
  const self = `127.0.0.1:${port}`;
  const host = draw.chance(0.88) ? draw.pick([self, `localhost:${port}`]) : draw.pick(['evil.example', '127.0.0.1', `[::1]:${port}`, '']);
  if (draw.chance(0.04)) {
    const raw = draw.pick([
      `GET /api/info HTTP/1.1\r\nHost: ${host}\r\n${draw.text(20)}\r\n\r\n`,
      `POST /api/query HTTP/1.1\r\nHost: ${self}\r\nOrigin: http://${self}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `${draw.text(40)}\r\n\r\n`,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: ${self}\r\n\r\n`,
      `GET /api/info HTTP/1.1\r\nHost: ${self}\r\nConnection: close\r\n\r\n{"sql":"SELECT 1"}`,
    ]);
    return { method: 'RAW', path: '', headers: {}, raw: Buffer.from(raw, 'latin1') };
  }
  const method = draw.pick(['GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND']);
  const route = draw.pick([
    '/',
    '/bucket',
    '/assets/app-1a2b.js',
    '/assets/nope.js',
    '/favicon.ico',
    API.info,
    API.bucket,
    API.bucket,
    API.object,
    API.object,
    API.catalog,
    API.namedQueries,
    API.query,
    API.events,
    '/api/',
    '/api/nope',
    `/${draw.text(12).replace(/[^\w./-]/g, '')}`,
  ]);
  const query = draw.chance(0.7) ? `?${draw.pick(['prefix', 'key', 'x'])}=${encodeURIComponent(pathValue(draw))}` : '';
  const headers: Record<string, string> = {};
  if (host !== '') headers.host = host;
  const originChoice = draw.int(10);
  if (originChoice < 4) headers.origin = `http://${self}`;
  else if (originChoice < 5) headers.origin = draw.pick(['http://evil.example', 'null', `http://localhost:${port}`]);
  if (draw.chance(0.3)) headers['sec-fetch-site'] = draw.pick(['same-origin', 'none', 'cross-site', 'same-site']);
  if (draw.chance(0.8))
    headers['content-type'] = draw.pick(['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', draw.text(15)]);
  if (draw.chance(0.1)) headers['x-fuzz'] = draw.text(40);
  let body: string | Buffer | undefined;
  if (method === 'POST' || draw.chance(0.1)) {
    const shape = draw.int(10);
    if (shape < 5) {
      const request: Record<string, unknown> = { sql: draw.chance(0.9) ? draw.pick(SQL) : draw.json(1) };
      if (draw.chance(0.3)) request.dialect = draw.pick(['athena', 'duckdb', 'trino', 3]);
      if (draw.chance(0.3)) request.format = draw.pick(['table', 'csv', 'json', 'xml']);
      body = JSON.stringify(request);
    } else if (shape < 8) body = JSON.stringify(draw.json());
    else body = draw.chance(0.5) ? draw.bytes(200) : draw.text(200);
  }
  return { method, path: `${route}${query}`, headers, ...(body === undefined ? {} : { body }) };
}

/** No 5xx, every refusal one line, nothing leaked; a HEAD has no body. */
function checkConsoleAnswer(response: FuzzResponse, fuzz: FuzzRequest): void {
  if (fuzz.raw) {
    expect(response.status === 0 || response.status < 500, `status ${response.status}`).toBe(true);
    return;
  }
  expect(response.status, response.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(response.status, response.body.slice(0, 300)).toBeLessThan(500);
  expectNothingLeaked(
    response.body,
    `${decodeURIComponent(fuzz.path.replace(/%(?![0-9a-f]{2})/gi, '%25'))} ${String(fuzz.body ?? '')}`,
    response.status >= 400,
  );
  if (fuzz.method === 'HEAD') expect(response.body).toBe('');
  if (response.status < 400 || fuzz.method === 'HEAD') return;
  const text = String(response.headers['content-type']).startsWith('application/json')
    ? (JSON.parse(response.body) as { error: string }).error
    : response.body.replace(/\n$/, '');
  expect(typeof text).toBe('string');
  expect(text.length, `${response.status} ${JSON.stringify(response.headers)} ${response.body}`).toBeGreaterThan(0);
  expect(text).not.toContain('\n');
}

describe('the console API under a seeded fuzz: random methods, paths, headers and bodies', () => {
  it(`answers ${FUZZ_REQUESTS} requests (seed ${FUZZ_SEED}) with no 5xx, each refusal in one line, and still serves afterwards`, async () => {
    const statuses = await fuzzHttp({ port, seed: FUZZ_SEED, count: FUZZ_REQUESTS, make: consoleRequest, check: checkConsoleAnswer });
    // The fuzz got past the guards to the handlers, not only to the refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(30);
    expect(statuses.size).toBeGreaterThanOrEqual(6);
    expect((await api(API.info)).status).toBe(200);
  }, 30_000);
});
