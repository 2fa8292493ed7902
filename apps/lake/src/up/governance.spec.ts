import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, openQueryEngine, type RunningLake } from '@lakehouse/local';
import { childProcesses, encode, eventRecords, putAll } from '@lakehouse/local/testing';
import { startCli, waitFor, waitForJsonFile, type CliProcess } from '../testing/processes';

const settings = pipelineSettings('dev');
const RUNAWAY = 'SELECT count(*) FROM range(10000000000000)';
const DOWNLOAD_ROWS = 5_000_000;

/** A field of /proc/<pid>/status, in MiB (VmRSS, VmHWM: the peak). */
const statusMiB = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** The query processes the lake has started and that are alive. */
const queryProcessesOf = (pid: number) => childProcesses(pid, 'query-process');

/**
 * The lake as a server you leave running: console queries that never end, or whose page went away, can't stall
 * delivery, the console's other endpoints or Ctrl-C, and a download of any size streams at constant memory. One
 * lake:up for the whole file, through the `lakehouse` command (its query processes run from the command's bundle).
 */
describe('lake:up governs its console queries', () => {
  let dir: string;
  let cli: CliProcess;
  let origin: string;
  let running: RunningLake;
  let pid: number;
  let sent = 0;

  const post = (body: unknown, signal?: AbortSignal) =>
    fetch(`${origin}/api/query`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });

  /** Once the lake has a free slot again (it frees one when it sees its process's exit; a lake that leaked one never would). */
  async function idle(): Promise<void> {
    await waitFor('the lake to run no query', async () => ((await post({ sql: 'SELECT 1', dialect: 'duckdb' })).status !== 429 ? true : undefined), 30_000);
  }

  /** Starts runaway queries, each its own page; resolves once all are running. */
  async function runaways(count: number): Promise<AbortController[]> {
    await idle();
    const pages = Array.from({ length: count }, () => new AbortController());
    for (const page of pages) void post({ sql: RUNAWAY, dialect: 'duckdb' }, page.signal).catch(() => undefined);
    await waitFor(`${count} query processes`, () => (queryProcessesOf(pid).length >= count ? true : undefined), 30_000);
    return pages;
  }

  async function send(count: number): Promise<void> {
    await putAll(kinesisClient({ endpoint: running.endpoint }), running.streamName, eventRecords(count).map(encode));
    sent += count;
  }

  const delivered = () => [...cli.stderr().matchAll(/ delivered ([\d,]+) records? /g)].reduce((n, m) => n + Number(m[1]?.replaceAll(',', '')), 0);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-governance-'));
    cli = startCli(['up', '--data-dir', dir, '--port', '0', '--console-port', '0', '--buffer-interval', '1', '--query-timeout', '120']);
    running = await waitForJsonFile<RunningLake>(localLayout(dir, settings).runningFile);
    pid = running.pid;
    origin = (await waitFor('the console', () => /console: +(http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stderr())?.[1])) ?? '';
  });
  afterAll(async () => {
    cli?.child.kill('SIGKILL');
    for (const child of pid ? queryProcessesOf(pid) : []) process.kill(child, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('with 4 runaway queries running, delivers every record sent, answers /api/bucket, refuses a fifth query in one line, and stops each query whose page goes away', async () => {
    const pages = await runaways(4);
    const fifth = await post({ sql: 'SELECT 1', dialect: 'duckdb' });
    expect(fifth.status).toBe(429);
    expect(await fifth.text()).toBe('4 queries are running, the most at once: run this one when one of them has finished (or stop one)\n');

    await send(500);
    await waitFor('every record delivered', () => (delivered() === sent ? true : undefined), 20_000);
    const asked = performance.now();
    const bucket = await fetch(`${origin}/api/bucket?prefix=`, { signal: AbortSignal.timeout(5_000) });
    expect(bucket.status).toBe(200);
    expect(performance.now() - asked).toBeLessThan(5_000);

    for (const page of pages) page.abort();
    await waitFor('the queries to stop', () => (queryProcessesOf(pid).length === 0 ? true : undefined), 10_000);
  });

  it(`streams a ${DOWNLOAD_ROWS.toLocaleString('en-US')}-row CSV download, every row, with the lake's peak RSS up by at most 150 MiB`, {
    timeout: 180_000,
  }, async () => {
    // The growth over the RSS before: the highest RSS sampled while it streams, or the peak (VmHWM) if it rose past
    // the peak before (a spike between two samples).
    await idle();
    const [rssBefore, hwmBefore] = [statusMiB(pid, 'VmRSS'), statusMiB(pid, 'VmHWM')];
    let sampled = rssBefore;
    const sampler = setInterval(() => (sampled = Math.max(sampled, statusMiB(pid, 'VmRSS'))), 100);
    const response = await post({ sql: `SELECT i FROM range(${DOWNLOAD_ROWS}) t(i)`, dialect: 'duckdb', format: 'csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="events-[\dT-]+\.csv"$/);
    let lines = 0;
    let last = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
      last = (last + text).slice(-64);
    }
    expect(lines).toBe(DOWNLOAD_ROWS); // the header and every row, no line end after the last
    expect(last.endsWith(`\n${DOWNLOAD_ROWS - 2}\n${DOWNLOAD_ROWS - 1}`)).toBe(true);
    clearInterval(sampler);
    const hwmAfter = statusMiB(pid, 'VmHWM');
    expect(Math.max(sampled, hwmAfter > hwmBefore ? hwmAfter : 0) - rssBefore).toBeLessThanOrEqual(150);
  });

  it('Ctrl-C with 4 runaway queries running delivers the buffer and exits 0 within 5 s', async () => {
    await runaways(4);
    await send(300);
    const interrupted = performance.now();
    cli.child.kill('SIGINT');
    const { code } = await cli.exited;
    expect(performance.now() - interrupted).toBeLessThan(5_000);
    expect(code).toBe(0);
    expect(queryProcessesOf(pid)).toEqual([]);
    const lake = await openQueryEngine(dir, localLayout(dir, settings).catalogFile);
    try {
      expect((await lake.query('SELECT count(*) FROM events')).rows).toEqual([[String(sent)]]);
    } finally {
      lake.close();
    }
  });
});
