import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';
import { localLayout } from '../layout';
import { buildLake, childProcesses, encode, eventRecords } from '../testing';
import { BusyError, QueryProcesses, type QueryJob } from './query-processes';

const settings = pipelineSettings('dev');
const RUNAWAY = 'SELECT count(*) FROM range(10000000000000)';

/** The console's queries, each in its process: the limits, a page that goes away, what a query that fails says. */
describe('QueryProcesses: console queries under their limits', () => {
  let dir: string;
  let job: (sql: string) => Omit<QueryJob, 'format' | 'memoryMiB'>;
  const pools: QueryProcesses[] = [];
  const pool = (limits: Partial<QueryProcesses['limits']> = {}) => {
    const created = new QueryProcesses({ timeoutSeconds: 60, memoryMiB: 256, concurrency: 2, ...limits });
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-query-processes-'));
    await buildLake(dir, eventRecords(20).map(encode));
    job = (sql) => ({ dataDir: dir, catalogFile: localLayout(dir, settings).catalogFile, database: settings.databaseName, dialect: 'duckdb', sql });
  });
  afterAll(async () => {
    for (const created of pools) created.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a table, and the next query reuses the waiting process', async () => {
    const queries = pool();
    expect((await queries.table(job('SELECT count(*) AS n FROM events'))).rows).toEqual([['20']]);
    expect(queries.processes).toBe(1);
    expect((await queries.table(job('SELECT 41 + 1 AS n'))).rows).toEqual([['42']]);
    expect(queries.processes).toBe(1);
    expect(queries.running).toBe(0);
  });

  it('stops a query at its time limit, with one line naming the limit and the flag', async () => {
    const queries = pool({ timeoutSeconds: 1 });
    const started = performance.now();
    await expect(queries.table(job(RUNAWAY))).rejects.toThrow(
      new LakehouseError('query', 'the query ran past its time limit of 1 s and was stopped (--query-timeout SECONDS sets the limit)'),
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(queries.running).toBe(0);
  });

  it('stops a query whose page went away', async () => {
    const queries = pool();
    const page = new AbortController();
    const running = queries.table(job(RUNAWAY), page.signal);
    await expect.poll(() => queries.running).toBe(1);
    page.abort();
    await expect(running).rejects.toMatchObject({ code: 'interrupted' });
    expect(queries.running).toBe(0);
  });

  it('stops a download whose client went away mid-stream', async () => {
    const queries = pool();
    const page = new AbortController();
    const out = new PassThrough({ highWaterMark: 1024 }); // never read: the download waits on it (backpressure)
    const streaming = queries.download(
      { ...job('SELECT i FROM range(10000000000000) t(i)'), format: 'csv' },
      () => (setTimeout(() => page.abort(), 200), out),
      page.signal,
    );
    await expect(streaming).rejects.toMatchObject({ code: 'interrupted' });
    expect(out.destroyed).toBe(true);
    expect(queries.running).toBe(0);
  });

  it('runs a query with every thread of its process at nice 19 and SCHED_IDLE, below the lake', async () => {
    const queries = pool();
    const page = new AbortController();
    const running = queries.table(job(RUNAWAY), page.signal);
    running.catch(() => undefined);
    // This process's child running query-process, then, from Linux's /proc, each thread's nice and scheduling policy
    // (fields 19 and 41 of its stat; SCHED_IDLE is 5).
    const field = (stat: string, n: number) => stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3];
    const queryProcess = () => childProcesses(process.pid, 'query-process')[0];
    await expect.poll(() => queries.running).toBe(1);
    await expect.poll(queryProcess).toBeDefined();
    const pid = queryProcess();
    // DuckDB's threads start with the query: wait until they are there, then every thread must be at 19.
    const threads = () =>
      readdirSync(`/proc/${pid}/task`).map((task) => {
        const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        return `nice ${field(stat, 19)}, policy ${field(stat, 41)}`;
      });
    await expect.poll(() => new Set(threads())).toEqual(new Set(['nice 19, policy 5']));
    expect(threads().length).toBeGreaterThan(1);
    page.abort();
    await expect(running).rejects.toMatchObject({ code: 'interrupted' });
  });

  it('refuses a query past the cap of queries at once, in one line', async () => {
    const queries = pool({ concurrency: 1 });
    const page = new AbortController();
    const running = queries.table(job(RUNAWAY), page.signal).catch((error: unknown) => error);
    const refused = await queries.table(job('SELECT 1')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BusyError);
    expect((refused as BusyError).status).toBe(429);
    expect((refused as Error).message).toBe('1 queries are running, the most at once: run this one when one of them has finished (or stop one)');
    page.abort();
    await running;
  });

  it('refuses a query that needs more memory than its limit, in one line', async () => {
    const queries = pool({ memoryMiB: 32 });
    await expect(queries.table(job('SELECT list(i) AS l FROM range(20000000) t(i)'))).rejects.toThrow(
      new LakehouseError('query', 'the query needs more memory than its limit (32 MiB, --query-memory); filter or aggregate more, or raise the limit'),
    );
  });

  it('says a SQL mistake in one line, and the process waits for the next query', async () => {
    const queries = pool();
    await expect(queries.table(job('SELECT nope FROM events'))).rejects.toMatchObject({
      code: 'query',
      message: expect.stringMatching(/^Binder Error: .*nope/),
    });
    expect((await queries.table(job('SELECT 1 AS one'))).rows).toEqual([['1']]);
  });

  it('streams a download after its columns, and fails before any byte when the query fails at once', async () => {
    const queries = pool();
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    let columns: unknown;
    await queries.download({ ...job('SELECT i, i * 2 AS twice FROM range(3) t(i)'), format: 'csv' }, (c) => ((columns = c), out));
    expect(columns).toEqual([
      { name: 'i', type: 'BIGINT' },
      { name: 'twice', type: 'BIGINT' },
    ]);
    expect(text).toBe('i,twice\n0,0\n1,2\n2,4');
    let started = false;
    await expect(queries.download({ ...job('SELECT nope'), format: 'json' }, () => ((started = true), new PassThrough()))).rejects.toMatchObject({
      code: 'query',
    });
    expect(started).toBe(false);
  });
});
