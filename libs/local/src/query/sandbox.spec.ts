import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../layout';
import { LakehouseError } from '@lakehouse/runtime';
import { quoteLiteral } from '../duckdb';
import { registerTable } from '../catalog';
import { DIALECTS, type Dialect } from './dialects';
import { QueryEngine } from './engine';

const settings = pipelineSettings('dev');

/** Why each way out is refused, in the one line the user sees. */
const OUTSIDE = /is outside the lake: a local query reads only the lake's tables \(/;
const ONLY_READS =
  /: a local query only reads the lake's tables: one SELECT \(or WITH … SELECT\); it can't write files, change settings, attach databases or load extensions$/;

describe('the sandbox: a local query reads the lake’s tables and nothing else', () => {
  // Made now: the table of ways out names paths in them.
  const dir = mkdtempSync(join(tmpdir(), 'lake-sandbox-'));
  const outside = mkdtempSync(join(tmpdir(), 'lake-sandbox-outside-'));
  const layout = localLayout(dir, settings);
  const hourFolder = join(layout.bucketDir, 'events/year=2026/month=01/day=15/hour=09');
  const lakes = new Map<Dialect, QueryEngine>();

  beforeAll(async () => {
    await registerTable(layout, settings);
    await mkdir(hourFolder, { recursive: true });
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    const rows = `SELECT uuid()::VARCHAR AS uuid, TIMESTAMP '2026-01-15 09:30:00' AS event_date, 'Active' AS status, 'A' AS name, 'B' AS last_name, 'a@b.c' AS email, 900000001::BIGINT AS phone FROM range(3)`;
    await connection.run(`COPY (${rows}) TO ${quoteLiteral(join(hourFolder, 'part.parquet'))} (FORMAT parquet)`);
    await connection.run(`COPY (SELECT 'secret' AS s) TO ${quoteLiteral(join(outside, 'secret.parquet'))} (FORMAT parquet)`);
    connection.closeSync();
    duck.closeSync();
    // A link inside the lake to a folder outside it.
    await symlink(outside, join(layout.bucketDir, 'events/link'));
    for (const dialect of DIALECTS) lakes.set(dialect, await QueryEngine.open(dir, layout.catalogFile, { dialect }));
  });

  afterAll(async () => {
    for (const lake of lakes.values()) lake.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const ways = (): Array<[string, string, RegExp, string?]> => [
    [
      'COPY … TO a file elsewhere',
      `COPY (SELECT * FROM events) TO ${quoteLiteral(join(outside, 'x.csv'))}`,
      /^(COPY … TO|\/.*x\.csv is outside the lake)/,
      join(outside, 'x.csv'),
    ],
    [
      'COPY … TO a Parquet file inside the lake',
      `COPY (SELECT * FROM events) TO ${quoteLiteral(join(hourFolder, 'x.parquet'))} (FORMAT parquet)`,
      /^COPY … TO/,
      join(hourFolder, 'x.parquet'),
    ],
    [
      'EXPORT DATABASE',
      `EXPORT DATABASE ${quoteLiteral(join(outside, 'export'))}`,
      /^(EXPORT DATABASE|\/.*export is outside the lake)/,
      join(outside, 'export'),
    ],
    ['read_text of /etc/passwd', "SELECT content FROM read_text('/etc/passwd')", /^\/etc\/passwd is outside the lake/],
    ['read_csv of /etc/passwd', "SELECT * FROM read_csv('/etc/passwd')", OUTSIDE],
    ['a file named in FROM', "SELECT * FROM '/etc/passwd'", /^\/etc\/passwd is outside the lake/],
    ['read_parquet of a file outside', `SELECT * FROM read_parquet(${quoteLiteral(join(outside, 'secret.parquet'))})`, OUTSIDE],
    [
      'read_parquet through ..',
      `SELECT * FROM read_parquet(${quoteLiteral(join(hourFolder, '../../../../../../../', outside.split('/').at(-1) ?? '', 'secret.parquet'))})`,
      OUTSIDE,
    ],
    ['read_parquet through a symlink', `SELECT * FROM read_parquet(${quoteLiteral(join(layout.bucketDir, 'events/link/secret.parquet'))})`, OUTSIDE],
    ['glob of /etc', "SELECT * FROM glob('/etc/*')", OUTSIDE],
    ['read_parquet over https', "SELECT * FROM read_parquet('https://example.com/x.parquet')", OUTSIDE],
    ['ATTACH a database file', `ATTACH ${quoteLiteral(join(outside, 'z.db'))} AS z`, /^ATTACH/, join(outside, 'z.db')],
    ["ATTACH ':memory:'", "ATTACH ':memory:' AS m", /^ATTACH/],
    ['INSTALL', 'INSTALL httpfs', /^INSTALL\/LOAD/],
    ['LOAD', 'LOAD httpfs', /^INSTALL\/LOAD/],
    ['SET a setting', 'SET threads = 1', /^SET/],
    ['SET external access back on', 'SET enable_external_access = true', /^SET/],
    ['RESET the lock', 'RESET lock_configuration', /^(RE)?SET/],
    ['replace the table with a view', 'CREATE OR REPLACE VIEW lakehouse_dev.events AS SELECT 1 AS x', /^CREATE/],
    ['CREATE TABLE', 'CREATE TABLE t AS SELECT 1 AS x', /^CREATE/],
    ['CHECKPOINT, named as written (DuckDB runs it as a CALL)', 'CHECKPOINT', /^CHECKPOINT: a local query only reads/],
    ['FORCE CHECKPOINT', 'force checkpoint;', /^FORCE CHECKPOINT: a local query only reads/],
    [
      'nesting past the limit, without advice to SET what the session refuses',
      `SELECT ${Array(3000).fill('1').join(' + ')}`,
      /^the query nests expressions more than 1,000 deep, the local engine's limit \(a local query can't change it\): simplify the expression, or run it with --target aws$/,
    ],
    [
      'a second statement',
      `SELECT 1; COPY (SELECT 1) TO ${quoteLiteral(join(outside, 'y.csv'))}`,
      /^2 statements: a local query is one statement$/,
      join(outside, 'y.csv'),
    ],
    [
      'query() running a COPY',
      `SELECT * FROM query('COPY (SELECT 1) TO ''${join(hourFolder, 'q.csv')}''')`,
      /single SELECT statement|query\(\)/,
      join(hourFolder, 'q.csv'),
    ],
  ];

  for (const dialect of DIALECTS) {
    it.each(ways())(`--dialect ${dialect}: %s is refused in one line that says why`, async (_label, sql, why, file) => {
      const error = await lakes
        .get(dialect)
        ?.query(sql)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(LakehouseError);
      expect((error as LakehouseError).code).toBe('query');
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toMatch(why);
      expect(message).toMatch(new RegExp(`${OUTSIDE.source}|${ONLY_READS.source}|${why.source}`));
      if (file) expect(existsSync(file), `${file} was written`).toBe(false);
    });
  }

  it('leaves the lake as it was: the same files, the same rows, the table still the table', async () => {
    expect(await readdir(hourFolder)).toEqual(['part.parquet']);
    for (const lake of lakes.values()) expect((await lake.query('SELECT count(*) FROM lakehouse_dev.events')).rows).toEqual([['3']]);
  });
});
