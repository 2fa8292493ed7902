/**
 * `nx run producer:bench`: the producer's figures, each against a baseline measured in the same run.
 *   1. Sending N records to kinesalite vs a bare PutRecords loop of pre-built records (the ceiling). Each side
 *      runs in its own process, as does kinesalite (fresh for every run), so neither shares a core with
 *      the server. Target: at least 80% of the ceiling.
 *   2. Generation + validation alone (a dry run to /dev/null) vs the original producer's way (a new Faker
 *      per record). Target: at least 80k records/s on one core.
 *   3. Peak memory (max RSS) of a dry run of 10k vs 1M records. Target: a ratio under 1.5.
 *   4. At the shard limit: 4 shards behind the throttling double, without pacing, paced, and paced with
 *      --aggregate (bench/throttled.ts). Targets: paced, at least 95% of what the shards take and at most 10% of
 *      the records throttled; aggregated, at least 3× the paced run's records/s.
 * `--only send,generate,memory,throttled` runs some of them; `--before-cli DIR/apps/producer/src/cli.ts` measures a
 * checkout of the producer before pacing as the throttled run's first row.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Faker, base, en } from '@faker-js/faker';
import { kinesisClient } from '@lakehouse/aws';
import { renderTable } from '@lakehouse/runtime';
import { DEFAULT_CONCURRENCY } from '../src/options';
import { SHARD_LIMITS, throttledRuns, type ThrottledRow } from './throttled';
import { Tally } from '../src/report/tally';
import { createRecordGenerator } from '../src/source/generate';
import { generatedItems } from '../src/source/items';
import { validEntries } from '../src/source/validate';
import { createStream } from '../src/testing/kinesis';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
    generate: { type: 'string', default: '300000' },
    'throttled-records': { type: 'string', default: '60000' },
    'aggregated-records': { type: 'string', default: '240000' },
    only: { type: 'string', default: 'send,generate,memory,throttled' },
    'before-cli': { type: 'string' },
  },
});
const ONLY = new Set(values.only.split(','));
const RECORDS = Number(values.records);
const ROUNDS = Number(values.rounds);
const GENERATE = Number(values.generate);
const SHARDS = 4;
const STREAM = 'bench-events';
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = join(import.meta.dirname, '../src/cli.ts');

interface Row {
  what: string;
  records: number;
  seconds: number;
}
const rate = (row: Row) => row.records / row.seconds;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(title: string, rows: Row[], baseline: Row): void {
  console.log(`\n${title}`);
  const cells = rows.map((r) => [r.what, fmt(r.records), fmt(r.seconds, 2), fmt(rate(r)), `${fmt(rate(r) / rate(baseline), 2)}×`]);
  console.log(
    renderTable(cells, { header: ['', 'records', 'seconds', 'records/s', 'vs baseline'], align: ['left', 'right', 'right', 'right', 'right'], indent: '  ' }),
  );
}

/** Runs a TypeScript script in a fresh Node process; its stdout, wall seconds and peak memory. */
function run(script: string, args: string[]): Promise<{ seconds: number; stdout: string; maxRssMb: number }> {
  // A preload that reports the process's peak resident memory as it exits.
  const rss = 'data:text/javascript,process.on("exit",()=>process.stderr.write("maxrss="+process.resourceUsage().maxRSS+"\\n"))';
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', rss, '--import', TSX, script, ...args], {
      stdio: ['ignore', args.includes('--dry-run') ? 'ignore' : 'pipe', 'pipe'], // ignore: stdout is /dev/null
      env: { ...process.env, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${stderr}`));
      resolve({ seconds: (performance.now() - started) / 1000, stdout, maxRssMb: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024 });
    });
    child.on('error', reject);
  });
}

/** A fresh kinesalite in its own process, with the benchmark's stream. */
async function withServer<T>(use: (endpoint: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ['--import', TSX, join(import.meta.dirname, 'kinesalite-server.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const [{ endpoint }] = (await once(child, 'message')) as [{ endpoint: string }];
    const client = kinesisClient({ endpoint });
    await createStream(client, STREAM, SHARDS);
    client.destroy();
    return await use(endpoint);
  } finally {
    child.disconnect();
  }
}

type Target = readonly [what: string, met: boolean, figure: string];

/** 1. Sending, against the ceiling. */
async function sendSection(): Promise<Target[]> {
  const ceiling: number[] = [];
  const sending: number[] = [];
  const walls: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await withServer(async (endpoint) => {
      const { stdout } = await run(join(import.meta.dirname, 'ceiling.ts'), ['--endpoint', endpoint, '--stream', STREAM, '--records', String(RECORDS)]);
      ceiling.push((JSON.parse(stdout) as { seconds: number }).seconds);
    });
    await withServer(async (endpoint) => {
      // kinesalite never throttles: limits far above AWS's, so the producer's per-shard routing runs but never waits.
      const cli = await run(CLI, [
        '--endpoint',
        endpoint,
        '--stream',
        STREAM,
        '--amount',
        String(RECORDS),
        '--json',
        '--shard-records-per-second',
        '1000000000',
        '--shard-bytes-per-second',
        '1000000000',
      ]);
      const summary = JSON.parse(cli.stdout) as { seconds: number; sent: number };
      if (summary.sent !== RECORDS) throw new Error(`sent ${summary.sent} of ${RECORDS}`);
      sending.push(summary.seconds);
      walls.push(cli.seconds);
    });
  }
  const best = (list: number[]) => Math.min(...list);
  const ceilingRow: Row = { what: 'bare PutRecords loop of pre-built records (ceiling)', records: RECORDS, seconds: best(ceiling) };
  const producerRow: Row = { what: 'producer:send --endpoint: generate, validate, send', records: RECORDS, seconds: best(sending) };
  table(
    `Sending ${fmt(RECORDS)} records to kinesalite (${SHARDS} shards), ${DEFAULT_CONCURRENCY} PutRecords in flight, best of ${ROUNDS} (all: ceiling ${ceiling.map((s) => fmt(s, 2)).join(', ')} s; producer ${sending.map((s) => fmt(s, 2)).join(', ')} s)`,
    [ceilingRow, producerRow, { what: 'the same, wall time with process start-up', records: RECORDS, seconds: best(walls) }],
    ceilingRow,
  );
  const share = rate(producerRow) / rate(ceilingRow);
  return [['send at >= 80% of the ceiling', share >= 0.8, `${fmt(share * 100)}%`]];
}

/** What the original producer did for each record: a new Faker, then the fields. */
function original(): string {
  const faker = new Faker({ locale: [en, base] });
  return JSON.stringify({
    uuid: faker.string.uuid(),
    event_date: new Date().toISOString(),
    status: faker.helpers.arrayElement(['Active', 'Inactive', 'Canceled']),
    name: faker.person.firstName(),
    last_name: faker.person.lastName(),
    email: faker.internet.email(),
    phone: faker.number.int({ min: 900000000, max: 999999999 }),
  });
}

/** 2. Generation + validation alone, on this one thread. */
async function generateSection(): Promise<Target[]> {
  const ORIGINAL = 5_000;
  let started = performance.now();
  for (let i = 0; i < ORIGINAL; i++) original();
  const originalRow: Row = {
    what: 'the original way: a new Faker per record, no validation',
    records: ORIGINAL,
    seconds: (performance.now() - started) / 1000,
  };
  started = performance.now();
  const devNull = createWriteStream('/dev/null');
  const tally = new Tally();
  const validation = { partitionKey: 'uuid', onInvalid: 'fail', noun: 'record', tally, onRejected: () => undefined, onStop: () => undefined } as const;
  for await (const chunk of validEntries(generatedItems(createRecordGenerator(), GENERATE), validation)) {
    let text = '';
    for (const e of chunk) text += `${e.json}\n`;
    if (!devNull.write(text)) await once(devNull, 'drain');
  }
  devNull.end();
  const inProcess: Row = { what: 'generate + validate + NDJSON, in process', records: GENERATE, seconds: (performance.now() - started) / 1000 };
  const dryRun = await run(CLI, ['--dry-run', '--amount', String(GENERATE)]);
  table(
    'Generation + validation, one core',
    [originalRow, inProcess, { what: 'producer:send --dry-run > /dev/null, wall time with start-up', records: GENERATE, seconds: dryRun.seconds }],
    originalRow,
  );
  return [['generation + validation >= 80,000 records/s', rate(inProcess) >= 80_000, `${fmt(rate(inProcess))} records/s`]];
}

/** 3. Peak memory. */
async function memorySection(): Promise<Target[]> {
  const small = await run(CLI, ['--dry-run', '--amount', '10000']);
  const large = await run(CLI, ['--dry-run', '--amount', '1000000']);
  console.log('\nPeak memory (max RSS) of producer:send --dry-run');
  console.log(`  --amount    10,000  ${fmt(small.maxRssMb, 1).padStart(6)} MB`);
  console.log(`  --amount 1,000,000  ${fmt(large.maxRssMb, 1).padStart(6)} MB   ratio ${fmt(large.maxRssMb / small.maxRssMb, 2)}`);
  const memoryRatio = large.maxRssMb / small.maxRssMb;
  return [['peak memory 1M / 10k < 1.5', memoryRatio < 1.5, fmt(memoryRatio, 2)]];
}

/** 4. At the shard limit, behind the throttling double. */
async function throttledSection(): Promise<Target[]> {
  const rows = await throttledRuns({
    shards: SHARDS,
    records: { plain: Number(values['throttled-records']), aggregate: Number(values['aggregated-records']) },
    withServer,
    stream: STREAM,
    send: async (args, cli = CLI) => (await run(cli, args)).stdout,
    ...(values['before-cli'] ? { beforeCli: values['before-cli'] } : {}),
  });
  const [before, paced, aggregated] = rows as [ThrottledRow, ThrottledRow, ThrottledRow];
  const pct = (share: number) => `${fmt(share * 100, 1)}%`;
  console.log(
    `\nAt the shard limit: ${SHARDS} shards behind the throttling double (${fmt(SHARD_LIMITS.recordsPerSecond)} records/s and 1 MiB/s per shard), ~235-byte records`,
  );
  const cells = rows.map((r) => [
    r.what,
    fmt(r.records),
    fmt(r.seconds, 2),
    fmt(r.recordsPerSecond),
    `${fmt(r.recordsPerSecond / paced.recordsPerSecond, 2)}×`,
    pct(r.ofNominal),
    pct(r.ofCapacity),
    `${fmt(r.throttled)} (${pct(r.throttled / r.kinesisRecords)})`,
    fmt(r.kinesisRecords),
    fmt(r.calls),
  ]);
  const header = ['', 'records', 'seconds', 'records/s', 'vs paced', 'of limit/s', 'of capacity', 'throttled entries', 'Kinesis records', 'PutRecords'];
  console.log(renderTable(cells, { header, align: ['left', ...header.slice(1).map(() => 'right' as const)], indent: '  ' }));
  console.log(`  (before: ${fmt(before.recordsPerSecond)} records/s; "of capacity" counts each shard's one-second burst as capacity too)`);
  return [
    ['paced: >= 95% of what the shards can take', paced.ofCapacity >= 0.95, pct(paced.ofCapacity)],
    ['paced: throttled entries <= 10% of the records', paced.throttled <= 0.1 * paced.records, pct(paced.throttled / paced.records)],
    [
      '--aggregate: >= 3x the paced records/s',
      aggregated.recordsPerSecond >= 3 * paced.recordsPerSecond,
      `${fmt(aggregated.recordsPerSecond / paced.recordsPerSecond, 2)}×`,
    ],
  ];
}

console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, Node ${process.version}`,
);
const targets: Target[] = [];
if (ONLY.has('send')) targets.push(...(await sendSection()));
if (ONLY.has('generate')) targets.push(...(await generateSection()));
if (ONLY.has('memory')) targets.push(...(await memorySection()));
if (ONLY.has('throttled')) targets.push(...(await throttledSection()));
console.log('\nTargets');
for (const [what, met, figure] of targets) console.log(`  ${met ? 'met   ' : 'MISSED'}  ${what}: ${figure}`);
