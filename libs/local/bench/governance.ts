/**
 * `nx run local:bench --only governance`: what query governance costs and buys, against a real `lakehouse up`.
 * - Where a query can run: 20 small file writes (what a delivery does) idle and with 4 runaway DuckDB queries, in
 *   the lake's process, in worker threads, in child processes (thread-pool.mjs, a process per mode).
 * - Delivery throughput with 4 runaway console queries running, against idle, in one lake: --runs runaway runs, each
 *   between two idle ones (target: their median ratio >= 0.9x).
 * - The lake's peak RSS over a 20 M-row CSV download from the console (target: grows <= 150 MiB).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { renderTable } from '@lakehouse/runtime';
import { localLayout } from '../src/layout';
import type { RunningLake } from '../src/running-lake';
import { childProcesses } from '../src/testing/processes';
import { encode, eventRecords, putAll } from '../src/testing/records';

const settings = pipelineSettings('dev');
const RUNAWAY = 'SELECT count(*) FROM range(10000000000000)';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const statusMiB = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const queryProcessesOf = (pid: number) => childProcesses(pid, 'query-process');

/** thread-pool.mjs in each mode. */
async function threadPoolModes(cwd: string): Promise<Array<{ mode: string; idleMs: number | null; withRunawaysMs: number | null }>> {
  const results = [];
  for (const mode of ['in-process', 'worker-threads', 'child-processes']) {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'thread-pool.mjs'), mode], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    results.push(JSON.parse(out.trim()));
  }
  return results;
}

export interface GovernanceOptions {
  /** The `lakehouse` command. */
  command: string[];
  cwd: string;
  records: number;
  /** Runaway runs, each between two idle ones. */
  runs: number;
  downloadRows: number;
  log: (line: string) => void;
}

export async function runGovernance(options: GovernanceOptions): Promise<string> {
  const { command, cwd, records, runs, downloadRows, log } = options;
  log('where a query can run: file writes with 4 runaway queries…');
  const modes = await threadPoolModes(cwd);
  const dir = await mkdtemp(join(tmpdir(), 'lake-bench-governance-'));
  const lake = spawn(
    command[0] ?? process.execPath,
    [...command.slice(1), 'up', '--data-dir', dir, '--port', '0', '--console-port', '0', '--buffer-interval', '1'],
    {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  lake.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const running = await until('the lake', async () => {
      try {
        return JSON.parse(await readFile(localLayout(dir, settings).runningFile, 'utf8')) as RunningLake;
      } catch {
        return undefined;
      }
    });
    const origin = await until('the console', () => /console: +(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]);
    const pid = running.pid;
    const client = kinesisClient({ endpoint: running.endpoint });
    const data = eventRecords(records).map(encode);
    let sent = 0;
    const delivered = () => [...stderr.matchAll(/ delivered ([\d,]+) records? /g)].reduce((n, m) => n + Number(m[1]?.replaceAll(',', '')), 0);
    /** Records per second from the first put to the last record delivered. */
    const throughput = async () => {
      const started = performance.now();
      await putAll(client, running.streamName, data);
      sent += data.length;
      await until('the delivery', () => (delivered() >= sent ? true : undefined));
      return data.length / ((performance.now() - started) / 1000);
    };
    const post = (body: unknown, signal?: AbortSignal) =>
      fetch(`${origin}/api/query`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });

    // Idle and runaway runs take turns, each runaway run against the mean of the idle runs either side of it: the
    // idle rate drifts up over a bench (warm-up, caches), so one idle run, or the faster of two, biases the ratio.
    log('delivery, idle…');
    await throughput(); // warm-up: DuckDB, the first objects
    const idle = [await throughput()];
    const busy: number[] = [];
    for (let run = 1; run <= runs; run++) {
      log(`delivery with 4 runaway queries (${run} of ${runs}), then idle…`);
      const pages = Array.from({ length: 4 }, () => new AbortController());
      for (const page of pages) void post({ sql: RUNAWAY, dialect: 'duckdb' }, page.signal).catch(() => undefined);
      await until('4 query processes', () => (queryProcessesOf(pid).length >= 4 ? true : undefined));
      busy.push(await throughput());
      for (const page of pages) page.abort();
      await until('the queries to stop', () => (queryProcessesOf(pid).length === 0 ? true : undefined));
      idle.push(await throughput());
    }
    const ratios = busy.map((rate, i) => rate / (((idle[i] ?? 0) + (idle[i + 1] ?? 0)) / 2));

    log(`a ${downloadRows.toLocaleString('en-US')}-row CSV download…`);
    const rssBefore = statusMiB(pid, 'VmRSS');
    const hwmBefore = statusMiB(pid, 'VmHWM');
    let queryPeak = 0;
    let lakeSampled = rssBefore;
    const sampler = setInterval(() => {
      lakeSampled = Math.max(lakeSampled, statusMiB(pid, 'VmRSS'));
      for (const child of queryProcessesOf(pid)) {
        try {
          queryPeak = Math.max(queryPeak, statusMiB(child, 'VmHWM'));
        } catch {
          // ended
        }
      }
    }, 200);
    const started = performance.now();
    const response = await post({ sql: `SELECT i, 'user' || i AS name FROM range(${downloadRows}) t(i)`, dialect: 'duckdb', format: 'csv' });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    }
    const downloadSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (lines !== downloadRows) throw new Error(`the download had ${lines + 1} lines, not ${downloadRows + 1}`);
    const hwmAfter = statusMiB(pid, 'VmHWM');

    const stopped = performance.now();
    lake.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => lake.once('exit', resolve));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const ratio = (x: number) => `${x.toFixed(2)}x`;
    const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')} records/s`;
    const ms = (x: number | null) => (x === null ? 'stalled (> 5 s)' : `${Math.round(x)} ms`);
    const rows: Array<[string, string]> = [
      ...modes.map(({ mode, idleMs, withRunawaysMs }): [string, string] => [
        `20 file writes, idle -> with 4 runaway DuckDB queries ${mode === 'in-process' ? "in the lake's process" : `in ${mode.replace('-', ' ')}`}`,
        `${ms(idleMs)} -> ${ms(withRunawaysMs)}`,
      ]),
      [`delivery idle, ${records.toLocaleString('en-US')} records, before, between and after`, idle.map(rate).join(', ')],
      ['delivery with 4 runaway console queries running', busy.map(rate).join(', ')],
      ['each runaway run / the mean of the idle runs either side', ratios.map(ratio).join(', ')],
      [`their median (target >= 0.9)`, ratio(median(ratios))],
      [
        `${downloadRows.toLocaleString('en-US')}-row CSV download (${(bytes / 2 ** 20).toFixed(0)} MiB): the lake's peak RSS growth (target <= 150 MiB)`,
        // The highest RSS sampled while it streamed, or the peak if it rose past the peak before: over the RSS before.
        `+${(Math.max(lakeSampled, hwmAfter > hwmBefore ? hwmAfter : 0) - rssBefore).toFixed(0)} MiB (RSS ${rssBefore.toFixed(0)} MiB before, ${lakeSampled.toFixed(0)} MiB at most while it streamed)`,
      ],
      ['  its time, and the query process peak RSS', `${downloadSeconds.toFixed(1)} s, ${queryPeak.toFixed(0)} MiB`],
      ['Ctrl-C of the lake after it: exit code, time', `${code}, ${((performance.now() - stopped) / 1000).toFixed(1)} s`],
    ];
    return renderTable(rows, { header: ['measure', 'result'], gap: ' | ' });
  } finally {
    lake.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}
