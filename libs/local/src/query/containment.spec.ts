import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../layout';
import { LakehouseError } from '@lakehouse/runtime';
import { registerTable, type LocalCatalog } from '../catalog';
import { quoteLiteral } from '../duckdb';
import { QueryEngine } from './engine';

const settings = pipelineSettings('dev');
const HOURS = 'events/year=2026/month=01/day=15';

const row = (uuid: string) =>
  `SELECT '${uuid}' AS uuid, TIMESTAMP '2026-01-15 09:30:00' AS event_date, 'Active' AS status, 'A' AS name, 'B' AS last_name, 'a@b.c' AS email, 900000001::BIGINT AS phone`;

describe('QueryEngine: partition filters open only their own folders', () => {
  let dir: string;
  let layout: ReturnType<typeof localLayout>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-prune-'));
    layout = localLayout(dir, settings);
    await registerTable(layout, settings);
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    for (const hour of ['09', '11']) {
      const folder = join(layout.bucketDir, `${HOURS}/hour=${hour}`);
      await mkdir(folder, { recursive: true });
      await connection.run(`COPY (${row(`good-${hour}`)}) TO ${quoteLiteral(join(folder, 'part.parquet'))} (FORMAT parquet)`);
    }
    connection.closeSync();
    duck.closeSync();
    // A corrupt object an hour before and an hour after each good one, and one between them.
    for (const hour of ['08', '10', '12']) {
      await mkdir(join(layout.bucketDir, `${HOURS}/hour=${hour}`), { recursive: true });
      await writeFile(join(layout.bucketDir, `${HOURS}/hour=${hour}/part.parquet`), 'not parquet at all');
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['the corrupt file an hour earlier', 9],
    ['the corrupt file an hour later', 11],
  ])('a query of one hour never opens %s', async (_label, hour) => {
    const lake = await QueryEngine.open(dir, layout.catalogFile);
    try {
      expect((await lake.query(`SELECT uuid FROM events WHERE hour = ${hour}`)).rows).toEqual([[`good-${String(hour).padStart(2, '0')}`]]);
    } finally {
      lake.close();
    }
  });

  it('a query that reads a corrupt file names it and says why, relative and in one line', async () => {
    const lake = await QueryEngine.open(dir, layout.catalogFile);
    try {
      await expect(lake.query('SELECT count(*) FROM events')).rejects.toThrow(/^corrupt Parquet file \S+hour=(08|10|12)\/part\.parquet \((.+)\); move it out/);
    } finally {
      lake.close();
    }
  });
});

describe('QueryEngine: nothing outside the lake', () => {
  let dir: string;
  let outside: string;
  let layout: ReturnType<typeof localLayout>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-links-'));
    outside = await mkdtemp(join(tmpdir(), 'outside-'));
    layout = localLayout(dir, settings);
    await registerTable(layout, settings);
    const duck = await DuckDBInstance.create(':memory:');
    const connection = await duck.connect();
    const folder = join(layout.bucketDir, `${HOURS}/hour=09`);
    await mkdir(folder, { recursive: true });
    await connection.run(`COPY (${row('inside')}) TO ${quoteLiteral(join(folder, 'part.parquet'))} (FORMAT parquet)`);
    // Parquet files out of the lake, with the table's columns, reached through a link to a folder and to a file.
    await mkdir(join(outside, 'hour=10'), { recursive: true });
    await connection.run(`COPY (${row('secret-folder')}) TO ${quoteLiteral(join(outside, 'hour=10', 'part.parquet'))} (FORMAT parquet)`);
    await connection.run(`COPY (${row('secret-file')}) TO ${quoteLiteral(join(outside, 'secret.parquet'))} (FORMAT parquet)`);
    connection.closeSync();
    duck.closeSync();
    await symlink(join(outside, 'hour=10'), join(layout.bucketDir, `${HOURS}/hour=10`));
    await symlink(join(outside, 'secret.parquet'), join(folder, 'linked.parquet'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('never follows a link in the table folder, to a folder or to a file', async () => {
    const lake = await QueryEngine.open(dir, layout.catalogFile);
    try {
      expect((await lake.query('SELECT uuid FROM events ORDER BY uuid')).rows).toEqual([['inside']]);
    } finally {
      lake.close();
    }
    const duckdb = await QueryEngine.open(dir, layout.catalogFile, { dialect: 'duckdb' });
    try {
      for (const path of [`${HOURS}/hour=10/part.parquet`, `${HOURS}/hour=09/linked.parquet`])
        expect(
          await duckdb.query(`SELECT uuid FROM read_parquet('${join(layout.bucketDir, path)}')`).then(
            (r) => r.rows,
            (e: Error) => e.message,
          ),
        ).toMatch(/is outside the lake: a local query reads only the lake's tables/);
    } finally {
      duckdb.close();
    }
  });

  it.each([
    ['s3://lakehouse-dev-lake-local/../../../', /location s3:\/\/lakehouse-dev-lake-local\/\.\.\/\.\.\/\.\.\/ is not a folder of a bucket in the lake/],
    ['s3://../events/', /location s3:\/\/\.\.\/events\/ is not a folder of a bucket in the lake/],
  ])('refuses a catalog location out of the lake (%s), at start and at query time, exit 8', async (location, message) => {
    const other = await mkdtemp(join(tmpdir(), 'lake-escape-'));
    try {
      const otherLayout = localLayout(other, settings);
      await registerTable(otherLayout, settings);
      const catalog = JSON.parse(await readFile(otherLayout.catalogFile, 'utf8')) as LocalCatalog;
      const table = catalog.databases[settings.databaseName]?.tables[settings.tableName];
      if (!table) throw new Error('no table');
      catalog.databases.other_db = { tables: { escape: { ...table, databaseName: 'other_db', name: 'escape', location } } };
      await writeFile(otherLayout.catalogFile, JSON.stringify(catalog));
      const refused = (error: unknown) => {
        expect(error).toBeInstanceOf(LakehouseError);
        expect((error as LakehouseError).exitCode).toBe(8);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toMatch(/: fix or remove the table in \S*catalog\.json$/);
        expect((error as Error).message).not.toContain('\n');
        return true;
      };
      await registerTable(otherLayout, settings).then(() => expect.fail('registered'), refused);
      await QueryEngine.open(other, otherLayout.catalogFile).then(() => expect.fail('opened'), refused);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a table folder that is a link out of the lake', async () => {
    const other = await mkdtemp(join(tmpdir(), 'lake-linked-'));
    try {
      const otherLayout = localLayout(other, settings);
      await registerTable(otherLayout, settings);
      await mkdir(otherLayout.bucketDir, { recursive: true });
      await symlink(outside, join(otherLayout.bucketDir, 'events'));
      await expect(QueryEngine.open(other, otherLayout.catalogFile)).rejects.toThrow(
        new RegExp(
          `^${settings.databaseName}\\.events: its folder is a link out of the lake folder: fix or remove the table in \\S*catalog\\.json, or remove the link$`,
        ),
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
