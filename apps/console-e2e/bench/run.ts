/**
 * What the console costs, measured against the same thing without it, in the same run:
 *   first load  a cold page until its ten graphs are drawn with their backfill (target ≤ 1 s)
 *   open page   records sent → all delivered with a console page open vs none, alternating (target ≤ 1.05×)
 *   query       a query over --query-rows rows from the page (POST /api/query) vs `lakehouse query` (target ≤ 1.5×)
 *   memory      the lakehouse's RSS over --minutes of `send --rate 1000` with a page open (target: flat, ±10%), the
 *               stream kept on disk (--persist): in memory, the stream itself grows by what it holds, as Kinesis
 *               keeps records for 24 hours
 * Usage: nx run console-e2e:bench [--records 50000] [--runs 3] [--query-rows 1000000] [--minutes 10] [--only open-page|load-query|memory]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PIPELINE_METRICS } from '@lakehouse/pipeline';
import { renderTable } from '@lakehouse/runtime';
import { launchBrowser, type Browser } from '../src/browser';
import { LAKEHOUSE, REPO_ROOT, send, startLakehouseCommand, type RunningLakehouse } from '../src/lakehouse';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    'query-rows': { type: 'string', default: '1000000' },
    minutes: { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const QUERY_ROWS = Number(values['query-rows']);
const RUNS = Number(values.runs);
const MINUTES = Number(values.minutes);
const SQL = "SELECT status, date_trunc('minute', event_date) AS minute, count(*) AS events FROM events GROUP BY 1, 2 ORDER BY 2, 1";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const say = (line: string) => process.stderr.write(`${line}\n`);
const ms = (x: number) => `${Math.round(x)} ms`;

/** Records the lakehouse has said it delivered (its stderr, one line per object). */
const deliveredIn = (stderr: string) =>
  [...stderr.matchAll(/ delivered ([\d,]+) records? \(/g)].reduce((n, m) => n + Number((m[1] ?? '0').replaceAll(',', '')), 0);

async function withLake<T>(work: (lake: RunningLakehouse, dataDir: string) => Promise<T>, args: string[] = []): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'console-bench-'));
  const lake = await startLakehouseCommand(join(dir, 'lake'), ['--buffer-interval', '1', ...args]);
  try {
    return await work(lake, join(dir, 'lake'));
  } finally {
    await lake.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sends `records` with `lakehouse send` and waits until the lakehouse says all are delivered: the milliseconds. */
async function sendAndDeliver(lake: RunningLakehouse, dataDir: string, records = RECORDS): Promise<number> {
  const before = deliveredIn(lake.stderr());
  const started = performance.now();
  const sent = await send(['--amount', String(records), '--data-dir', dataDir]);
  if (sent.code !== 0) throw new Error(`send failed: ${sent.stderr}`);
  while (deliveredIn(lake.stderr()) - before < records) await new Promise((r) => setTimeout(r, 20));
  return performance.now() - started;
}

/** A cold page (a fresh browser profile: empty cache) until every graph is drawn and the stream is live. */
async function firstLoads(url: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cold = await launchBrowser();
    try {
      const page = await cold.context.newPage();
      const started = performance.now();
      await page.goto(url);
      await page.waitForFunction(
        (n) => document.querySelectorAll('.tile .tile-chart canvas').length >= n && document.body.textContent?.includes('live'),
        PIPELINE_METRICS.length,
      );
      times.push(performance.now() - started);
    } finally {
      await cold.close();
    }
  }
  return times;
}

/** The wall time of `lakehouse query`, as a script runs it. */
function cliQuery(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(LAKEHOUSE, ['query', '--csv', '--data-dir', dataDir, SQL], { cwd: REPO_ROOT, stdio: 'ignore' });
    child.on('error', reject).on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`lakehouse query exited ${code}`))));
  });
}

async function pageQuery(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}api/query`, {
    method: 'POST',
    headers: { origin: new URL(url).origin, 'content-type': 'application/json' },
    body: JSON.stringify({ sql: SQL }),
  });
  if (!response.ok) throw new Error(`query failed: ${await response.text()}`);
  await response.json();
  return performance.now() - started;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;

type Row = string[];

/** Open page vs none, alternating, each on a fresh lakehouse. */
async function openPageCost(browser: Browser): Promise<Row> {
  const closed: number[] = [];
  const open: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    say(`run ${run + 1}/${RUNS}: ${RECORDS.toLocaleString('en-US')} records, no page, then a page open…`);
    closed.push(await withLake((lake, dataDir) => sendAndDeliver(lake, dataDir)));
    open.push(
      await withLake(async (lake, dataDir) => {
        const { page } = await browser.open(lake.consoleUrl);
        try {
          return await sendAndDeliver(lake, dataDir);
        } finally {
          await page.close();
        }
      }),
    );
  }
  return [
    `${RECORDS.toLocaleString('en-US')} records sent → delivered, page open vs none (median of ${RUNS})`,
    `${ms(median(open))} vs ${ms(median(closed))}`,
    `${(median(open) / median(closed)).toFixed(2)}×`,
    '≤ 1.05×',
  ];
}

/** Cold first loads, then the same query from the page and from `lakehouse query`, over QUERY_ROWS rows. */
function loadAndQuery(): Promise<Row[]> {
  return withLake(async (lake, dataDir) => {
    say(`first load, and a query over ${QUERY_ROWS.toLocaleString('en-US')} rows…`);
    await sendAndDeliver(lake, dataDir, QUERY_ROWS);
    const loads = await firstLoads(lake.consoleUrl);
    await pageQuery(lake.consoleUrl); // the parser loads once per process: not what a query costs after that
    const fromPage: number[] = [];
    const fromCli: number[] = [];
    for (let i = 0; i < 5; i++) {
      fromPage.push(await pageQuery(lake.consoleUrl));
      fromCli.push(await cliQuery(dataDir));
    }
    return [
      ['first load, cold: page → every graph drawn, live (5 loads)', `median ${ms(median(loads))}, max ${ms(Math.max(...loads))}`, '', '≤ 1 s'],
      [
        `a query from the page vs lakehouse query, over ${QUERY_ROWS.toLocaleString('en-US')} rows (median of 5)`,
        `${ms(median(fromPage))} vs ${ms(median(fromCli))}`,
        `${(median(fromPage) / median(fromCli)).toFixed(2)}×`,
        '≤ 1.5×',
      ],
    ];
  });
}

/** The lakehouse's RSS every 10 s over MINUTES of a steady load, a page open all along. */
function memoryOverTime(browser: Browser): Promise<Row> {
  say(`memory: ${MINUTES} min of send --rate 1000 with a page open…`);
  return withLake(
    async (lake, dataDir) => {
      const { page } = await browser.open(lake.consoleUrl);
      const sending = send(['--rate', '1000', '--duration', `${MINUTES}m`, '--data-dir', dataDir]);
      const samples: Array<[number, number]> = [];
      const started = performance.now();
      while (performance.now() - started < MINUTES * 60_000) {
        await new Promise((r) => setTimeout(r, 10_000));
        samples.push([(performance.now() - started) / 60_000, rssMiB(lake.process.pid ?? 0)]);
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K  ${samples.at(-1)?.[0].toFixed(1)} min: ${samples.at(-1)?.[1].toFixed(0)} MiB`);
      }
      await sending;
      await page.close();
      if (process.stderr.isTTY) process.stderr.write('\n');
      // From the first minute on (start-up and the first deliveries warm up DuckDB and the buffers).
      const steady = samples.filter(([minute]) => minute >= 1).map(([, mib]) => mib);
      const [first = Number.NaN, last = Number.NaN] = [steady[0], steady.at(-1)];
      const spread = (Math.max(...steady) - Math.min(...steady)) / first;
      return [
        `lakehouse RSS, send --rate 1000 with a page open (--persist): at 1 min / at ${MINUTES} min, range after 1 min`,
        `${first.toFixed(0)} / ${last.toFixed(0)} MiB, ${Math.min(...steady).toFixed(0)}–${Math.max(...steady).toFixed(0)}`,
        `±${((spread / 2) * 100).toFixed(0)}%`,
        '±10%',
      ];
    },
    ['--persist'],
  );
}

const browser = await launchBrowser();
const rows: Row[] = [];
try {
  if (!values.only || values.only === 'open-page') rows.push(await openPageCost(browser));
  if (!values.only || values.only === 'load-query') rows.push(...(await loadAndQuery()));
  if (!values.only || values.only === 'memory') rows.push(await memoryOverTime(browser));
} finally {
  await browser.close();
}
process.stdout.write(`${renderTable(rows, { header: ['console', 'latest', 'ratio', 'target'], align: ['left', 'right', 'right', 'left'] })}\n`);
