/**
 * `nx run local:bench --only soak`: a real `lakehouse up` under a steady load for a long time (30 minutes by default,
 * not in CI). Records are put at `--rate` a second with the AWS SDK, a console page is open (its live-metrics stream
 * read as the page reads it), a heavy query is asked of the console every few seconds, and with
 * `--persist` the lake is killed with -9 three times and started again. It reports the lake's RSS over time (and the
 * stream's folder on disk), each record's delivery latency (acknowledged → seen in a Parquet object), the queries'
 * times, and checks that every acknowledged record is in the lake exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { API } from '@lakehouse/console-api';
import { pipelineSettings } from '@lakehouse/pipeline';
import { renderTable } from '@lakehouse/runtime';
import { openDuckDb, quoteLiteral } from '../src/duckdb';
import { localLayout } from '../src/layout';
import { readRunningLake } from '../src/running-lake';
import { eventRecords } from '../src/testing/records';

export interface SoakOptions {
  dir: string;
  minutes: number;
  rate: number;
  persist: boolean;
  /** How to run `lakehouse`. */
  command: readonly string[];
  cwd: string;
  log: (line: string) => void;
}

const settings = pipelineSettings('dev');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN;

/** A free port on 127.0.0.1, for the console (every incarnation of the lake keeps it, as a user's bookmark does). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A `lakehouse up` process and its pid, once registered in lakehouse.json. */
async function startLake(options: SoakOptions, consolePort: number): Promise<{ child: ChildProcess; endpoint: string }> {
  const layout = localLayout(options.dir, settings);
  const args = ['up', '--port', '0', '--console-port', String(consolePort), '--data-dir', options.dir, ...(options.persist ? ['--persist'] : [])];
  const [command = process.execPath, ...rest] = options.command;
  const child = spawn(command, [...rest, ...args], { cwd: options.cwd, stdio: ['ignore', 'ignore', 'ignore'] });
  for (let i = 0; i < 600; i++) {
    const running = await readRunningLake(layout.runningFile);
    if (running && running.pid === child.pid) return { child, endpoint: running.endpoint };
    if (child.exitCode !== null) throw new Error(`lakehouse up exited ${child.exitCode}`);
    await sleep(100);
  }
  throw new Error('lakehouse up did not register within 60 s');
}

async function rssMiB(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

async function folderMiB(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return bytes / 1024 / 1024;
}

/** Every Parquet object of the bucket's events, as paths. */
async function parquetObjects(bucketDir: string): Promise<string[]> {
  const entries = await readdir(join(bucketDir, 'events'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(e.parentPath, e.name));
}

/** State shared by the loops: what was acknowledged when, what was seen in the lake when. */
class Ledger {
  readonly acked = new Map<string, number>();
  /** Records of requests that got no answer (the lake killed meanwhile): stored or not, they are not counted. */
  readonly unknown = new Set<string>();
  readonly latencies: number[] = [];
  readonly seen = new Set<string>();
  readonly files = new Set<string>();
}

/** Puts `rate` records a second, in ten batches, until `until`; retries a refused batch on the lake running then. */
async function sendLoop(options: SoakOptions, ledger: Ledger, lake: () => { client: KinesisClient }, until: number): Promise<void> {
  const perBatch = Math.max(1, Math.round(options.rate / 10));
  let next = Date.now();
  while (Date.now() < until) {
    const records = eventRecords(perBatch);
    try {
      const out = await lake().client.send(
        new PutRecordsCommand({
          StreamName: settings.streamName,
          Records: records.map((r) => ({ Data: new TextEncoder().encode(JSON.stringify(r)), PartitionKey: randomUUID() })),
        }),
      );
      const now = Date.now();
      records.forEach((r, i) => {
        if (!out.Records?.[i]?.ErrorCode) ledger.acked.set(r.uuid, now);
      });
    } catch {
      for (const r of records) ledger.unknown.add(r.uuid);
      await sleep(200); // the lake is being restarted
    }
    next += 100;
    await sleep(Math.max(0, next - Date.now()));
  }
}

/** An open console page: reads the live metrics' event stream as the page does, reconnecting after a kill, until `until`. */
async function openPage(page: string, until: number): Promise<void> {
  while (Date.now() < until) {
    try {
      const response = await fetch(`${page}${API.events}`, { signal: AbortSignal.timeout(Math.max(1, until - Date.now())) });
      for await (const _ of response.body ?? []) if (Date.now() >= until) break;
    } catch {
      await sleep(1_000); // the lake is being restarted
    }
  }
}

/** The heavy query, asked of the console as its page asks it: how long the answer took, or undefined if it failed. */
async function consoleQuery(page: string, sql: string): Promise<number | undefined> {
  const t = performance.now();
  const response = await fetch(`${page}${API.query}`, {
    method: 'POST',
    headers: { origin: page, 'content-type': 'application/json' },
    body: JSON.stringify({ sql }),
    signal: AbortSignal.timeout(60_000),
  }).catch(() => undefined);
  if (!response?.ok) return undefined;
  await response.arrayBuffer();
  return performance.now() - t;
}

type Duck = Awaited<ReturnType<typeof openDuckDb>>;

/** Reads each new Parquet object's uuids once it lands: each acknowledged record's delivery latency. */
async function watchBucket(duck: Duck, bucketDir: string, ledger: Ledger): Promise<void> {
  for (const file of await parquetObjects(bucketDir)) {
    if (ledger.files.has(file)) continue;
    ledger.files.add(file);
    const now = Date.now();
    const reader = await duck.connection.runAndReadAll(`SELECT uuid FROM read_parquet(${quoteLiteral(file)})`);
    for (const [uuid] of reader.getRows()) {
      const acked = ledger.acked.get(String(uuid));
      if (acked !== undefined && !ledger.seen.has(String(uuid))) ledger.latencies.push(now - acked);
      ledger.seen.add(String(uuid));
    }
  }
}

/** Every uuid of the lake with how many times it is there. */
async function lakeCounts(duck: Duck, bucketDir: string): Promise<Map<string, number>> {
  const glob = quoteLiteral(join(bucketDir, 'events', '**', '*.parquet'));
  const reader = await duck.connection.runAndReadAll(`SELECT uuid, count(*) FROM read_parquet(${glob}) GROUP BY uuid`);
  return new Map(reader.getRows().map(([uuid, n]) => [String(uuid), Number(n)]));
}

export async function runSoak(options: SoakOptions): Promise<string> {
  const layout = localLayout(options.dir, settings);
  const durationMs = options.minutes * 60_000;
  const started = Date.now();
  const until = started + durationMs;
  const ledger = new Ledger();
  const duck = await openDuckDb();
  const consolePort = await freePort();
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  let lake = await startLake(options, consolePort);
  let client = kinesisClient({ endpoint: lake.endpoint, maxAttempts: 1 });
  const samples: Array<{ at: number; rss: number; disk: number; incarnation: number }> = [];
  const queryMs: number[] = [];
  let failedQueries = 0;
  let incarnation = 0;
  const kills = options.persist ? [0.25, 0.5, 0.75].map((f) => started + f * durationMs) : [];
  const sending = sendLoop(options, ledger, () => ({ client }), until);
  const page = openPage(consoleUrl, until);
  let nextSample = started;
  let nextQuery = started + 5_000;
  let nextWatch = started;
  while (Date.now() < until) {
    if (kills[0] !== undefined && Date.now() >= kills[0]) {
      kills.shift();
      lake.child.kill('SIGKILL');
      await new Promise((resolve) => lake.child.once('exit', resolve));
      options.log(`${Math.round((Date.now() - started) / 1000)} s: kill -9, restarting`);
      lake = await startLake(options, consolePort);
      client.destroy();
      client = kinesisClient({ endpoint: lake.endpoint, maxAttempts: 1 });
      incarnation++;
    }
    if (Date.now() >= nextSample) {
      nextSample += 10_000;
      samples.push({ at: Date.now() - started, rss: await rssMiB(lake.child.pid), disk: await folderMiB(layout.kinesisDir), incarnation });
      options.log(
        `${Math.round((Date.now() - started) / 1000)} s: RSS ${samples.at(-1)?.rss.toFixed(0)} MiB, acked ${ledger.acked.size}, seen ${ledger.seen.size}`,
      );
    }
    if (Date.now() >= nextWatch) {
      nextWatch += 1_000;
      await watchBucket(duck, layout.bucketDir, ledger);
    }
    if (Date.now() >= nextQuery) {
      nextQuery += 5_000;
      const ms = await consoleQuery(consoleUrl, 'SELECT status, count(*), count(DISTINCT uuid), min(event_date), max(event_date) FROM events GROUP BY status');
      if (ms === undefined) failedQueries++;
      else queryMs.push(ms);
    }
    await sleep(250);
  }
  await Promise.all([sending, page]);
  // The last records: delivered within the buffering interval.
  for (let i = 0; i < 60 && [...ledger.acked.keys()].some((u) => !ledger.seen.has(u)); i++) {
    await sleep(1_000);
    await watchBucket(duck, layout.bucketDir, ledger);
  }
  lake.child.kill('SIGINT');
  const exit = await new Promise<number | null>((resolve) => lake.child.once('exit', resolve));
  client.destroy();
  const counts = await lakeCounts(duck, layout.bucketDir);
  duck.close();
  return report({ options, ledger, samples, queryMs, failedQueries, exit, counts });
}

function report(run: {
  options: SoakOptions;
  ledger: Ledger;
  samples: Array<{ at: number; rss: number; disk: number; incarnation: number }>;
  queryMs: number[];
  failedQueries: number;
  exit: number | null;
  counts: Map<string, number>;
}): string {
  const { options, ledger, samples, queryMs, failedQueries, counts } = run;
  const acked = [...ledger.acked.keys()];
  const missing = acked.filter((u) => !counts.has(u)).length;
  const doubled = acked.filter((u) => (counts.get(u) ?? 0) > 1).length;
  const unknownTwice = [...ledger.unknown].filter((u) => (counts.get(u) ?? 0) > 1).length;
  // Flatness: the last incarnation of the lake, after its first two minutes.
  const last = samples.filter((s) => s.incarnation === samples.at(-1)?.incarnation);
  const steady = last.filter((s) => s.at - (last[0]?.at ?? 0) >= 120_000);
  const rss = steady.map((s) => s.rss);
  const [low, high] = [Math.min(...rss), Math.max(...rss)];
  const mean = rss.reduce((a, b) => a + b, 0) / rss.length;
  const at = (minute: number) => samples.find((s) => s.at >= minute * 60_000)?.rss.toFixed(0) ?? '-';
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  const rows: Array<[string, string]> = [
    ['duration, rate, mode', `${options.minutes} min at ${options.rate} records/s, ${options.persist ? '--persist, 3 × kill -9' : 'no flags'}`],
    ['records acknowledged / in the lake / missing / twice', `${acked.length} / ${counts.size} / ${missing} / ${doubled}`],
    ['records of requests cut by a kill (unanswered): in the lake twice', `${ledger.unknown.size}: ${unknownTwice}`],
    ['lake RSS at 1, 5, 10, 20, 30 min', [1, 5, 10, 20, 30].map(at).join(' / ')],
    [
      'lake RSS, steady (last run of the lake, after its first 2 min)',
      `${mib(low)} – ${mib(high)}, mean ${mib(mean)}: ±${((100 * (high - low)) / 2 / mean).toFixed(1)}%`,
    ],
    ['stream folder on disk (kinesis/), max / at the end', `${mib(Math.max(...samples.map((s) => s.disk)))} / ${mib(samples.at(-1)?.disk ?? 0)}`],
    [
      'delivery latency (acknowledged -> seen in the bucket), p50 / p99 / max',
      ['0.5', '0.99', '1'].map((q) => `${(quantile(ledger.latencies, Number(q)) / 1000).toFixed(1)} s`).join(' / '),
    ],
    [
      'heavy query from the console every 5 s: answered, p50 / p99; failed (a kill among them)',
      `${queryMs.length}: ${quantile(queryMs, 0.5).toFixed(0)} / ${quantile(queryMs, 0.99).toFixed(0)} ms; ${failedQueries}`,
    ],
    ['exit of the last lake on Ctrl-C', String(run.exit)],
  ];
  return renderTable(rows, { header: ['soak', 'result'], gap: ' | ' });
}
