import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';
import { localLayout } from '../layout';
import { registerTable, type LocalCatalog } from '../catalog';
import { quoteLiteral } from '../duckdb';
import { QueryEngine, type QueryEngineOptions } from './engine';

const settings = pipelineSettings('dev');

describe('QueryEngine: the catalog’s tables over the Parquet tree', () => {
  let dir: string;
  let layout: ReturnType<typeof localLayout>;
  const open: QueryEngine[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-local-'));
    layout = localLayout(dir, settings);
    await registerTable(layout, settings);
  });
  afterEach(async () => {
    for (const lake of open.splice(0)) lake.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function lake(options: QueryEngineOptions = {}): Promise<QueryEngine> {
    const l = await QueryEngine.open(dir, layout.catalogFile, options);
    open.push(l);
    return l;
  }

  /** Writes one object with DuckDB into an hour folder of the bucket. */
  async function object(hour: string, select: string): Promise<void> {
    const folder = join(layout.bucketDir, `events/year=2026/month=01/day=15/hour=${hour}`);
    await mkdir(folder, { recursive: true });
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    await connection.run(`COPY (${select}) TO ${quoteLiteral(join(folder, `part-${hour}.parquet`))} (FORMAT parquet)`);
    connection.closeSync();
    duck.closeSync();
  }

  const row = (uuid: string, extra = '') =>
    `SELECT '${uuid}' AS uuid, TIMESTAMP '2026-01-15 09:30:00' AS event_date, 'Active' AS status, 'A' AS name, 'B' AS last_name, 'a@b.c' AS email, 900000001::BIGINT AS phone${extra}`;

  it('has the table, empty and typed (with Athena’s type names), before anything is delivered', async () => {
    const result = await (await lake()).query('SELECT * FROM events');
    expect(result.rows).toEqual([]);
    expect(result.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'uuid varchar',
      'event_date timestamp(3)',
      'status varchar',
      'name varchar',
      'last_name varchar',
      'email varchar',
      'phone bigint',
      'year integer',
      'month integer',
      'day integer',
      'hour integer',
    ]);
    const duckdb = await (await lake({ dialect: 'duckdb' })).query('SELECT * FROM events');
    expect(duckdb.columns.map((c) => c.type)).toEqual([
      'VARCHAR',
      'TIMESTAMP',
      'VARCHAR',
      'VARCHAR',
      'VARCHAR',
      'VARCHAR',
      'BIGINT',
      'INTEGER',
      'INTEGER',
      'INTEGER',
      'INTEGER',
    ]);
  });

  it('reads zero-padded hour folders as integers, by short and qualified name', async () => {
    await object('09', row('a'));
    const l = await lake();
    expect((await l.query('SELECT uuid, hour FROM events WHERE hour = 9')).rows).toEqual([['a', '9']]);
    expect((await l.query('SELECT uuid FROM lakehouse_dev.events')).rows).toEqual([['a']]);
    expect((await l.query("SELECT date_format(event_date, '%H:%i') FROM events")).rows).toEqual([['09:30']]);
    expect((await l.query('SELECT event_date FROM events')).rows).toEqual([['2026-01-15 09:30:00.000']]);
  });

  it.each([
    [5_000, 10_000, false],
    [5_000, 4_999, true],
    [100_000, 1, true],
  ])('of %i rows, reads at most %i and says whether there were more', async (rows, maxRows, truncated) => {
    const numbers = `SELECT i * 100 + j AS x FROM UNNEST(sequence(0, ${rows / 100 - 1})) AS a(i) CROSS JOIN UNNEST(sequence(0, 99)) AS b(j)`;
    const result = await (await lake()).query(`${numbers} ORDER BY x`, { maxRows });
    expect(result.rows).toHaveLength(Math.min(rows, maxRows));
    expect(result.rows.at(-1)).toEqual([String(Math.min(rows, maxRows) - 1)]);
    expect(result.truncated === true).toBe(truncated);
  });

  it.each([
    ['SELECT count(*) / 0 FROM events', /^Division by zero$/],
    ['SELECT CAST(status AS integer) FROM events', /^Cannot cast 'Active' to INT$/],
    [
      "SELECT json_extract_scalar('{\"a\": 1.50}', '$.a') FROM events",
      /^json_extract_scalar of a number written as 1\.50.* is not supported by the local engine: .*, or run it with --target aws$/,
    ],
    [
      "SELECT try(json_extract_scalar('{\"a\": 1.50}', '$.a')) FROM events",
      /^TRY around an expression the local engine may refuse is not supported by the local engine: .*--target aws$/,
    ],
    [
      'SELECT lower(1) FROM events',
      /^lower\(integer\): the local engine has no lower for these argument types \(Athena: Unexpected parameters\); cast the arguments, or run it with --target aws$/,
    ],
  ])('says %s as Athena would, in one line naming no DuckDB function', async (sql, message) => {
    await object('09', row('a'));
    const error = await (await lake()).query(sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LakehouseError);
    expect((error as Error).message).toMatch(message);
  });

  it('runs DuckDB’s own SQL, shown as DuckDB shows it, with --dialect duckdb', async () => {
    await object('09', row('a'));
    const l = await lake({ dialect: 'duckdb' });
    expect((await l.query("SELECT strftime(event_date, '%H:%M'), event_date, count_star() OVER () FROM events")).rows).toEqual([
      ['09:30', '2026-01-15 09:30:00', '1'],
    ]);
    expect((await l.query('SELECT count(*) FROM events')).columns).toEqual([{ name: 'count_star()', type: 'BIGINT' }]);
    await expect((await lake()).query("SELECT strftime(event_date, '%H:%M') FROM events")).rejects.toThrow(
      "strftime() (DuckDB's, not Athena's) is not supported by the local engine; write date_format(ts, '%Y-%m-%d %H:%i'), or run with --dialect duckdb",
    );
  });

  it.each([
    ['the older file first', ['01', '02']],
    ['the newer file first', ['02', '01']],
  ])('follows a column added to the schema, NULL in older files (%s)', async (_order, [oldHour, newHour]) => {
    const catalog = JSON.parse(await readFile(layout.catalogFile, 'utf8')) as LocalCatalog;
    catalog.databases['lakehouse_dev']?.tables['events']?.columns.push({ name: 'country', type: 'string' });
    await writeFile(layout.catalogFile, JSON.stringify(catalog));
    await object(oldHour ?? '', row('old'));
    await object(newHour ?? '', row('new', ", 'PT' AS country"));
    const result = await (await lake()).query('SELECT uuid, country FROM events ORDER BY uuid');
    expect(result.rows).toEqual([
      ['new', 'PT'],
      ['old', null],
    ]);
  });

  it('gives the short table name to the environment’s database when several environments share the lake', async () => {
    await registerTable(localLayout(dir, pipelineSettings('prod')), pipelineSettings('prod'));
    await object('09', row('dev-row'));
    for (const [database, expected] of [
      ['lakehouse_dev', [['dev-row']]],
      ['lakehouse_prod', []],
    ] as const) {
      const l = await QueryEngine.open(dir, layout.catalogFile, { database });
      open.push(l);
      expect((await l.query('SELECT uuid FROM events')).rows).toEqual(expected);
    }
  });

  it('keeps DuckDB’s own message for a SQL mistake, on one line, with its hint', async () => {
    await expect((await lake()).query('SELECT nope FROM events')).rejects.toThrow(
      /^Binder Error: Referenced column "nope" not found in FROM clause! Candidate bindings: "(name|phone|hour)"/,
    );
  });
});
