import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { FUNCTION_TABLE, plainQuery, type Translator } from '@lakehouse/athena-sql';
import { kinesisClient } from '@lakehouse/aws';
import { bufferingLimits } from '@lakehouse/firehose';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../src/layout';
import { renderTable } from '@lakehouse/runtime';
import type { DeliveryReport } from '../src/embedded/protocol';
import { parquetColumns } from '@lakehouse/schema';
import { Delivery } from '../src/delivery/delivery';
import { ParquetWriter } from '../src/delivery/parquet-writer';
import { openDuckDb, quoteLiteral } from '../src/duckdb';
import { ensureStream } from '../src/kinesis/kinesis-server';
import type { StreamRecord } from '../src/kinesis/shard-reader';
import { registerTable } from '../src/catalog';
import { CORPUS, corpusRecords, type CorpusContext } from '../src/testing/athena-corpus';
import { QueryEngine } from '../src/query/engine';
import { loadTranslator } from '../src/query/translator';
import { CheckpointStore } from '../src/storage/checkpoints';
import { startEmbeddedLake } from '../src/embedded/lake';
import { encode, eventRecords, putAll } from '../src/testing/records';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    'query-rows': { type: 'string', default: '1000000' },
    /**
     * `soak`: a lake:up under a steady load for --minutes (see soak.ts); `governance`: delivery with runaway console
     * queries against idle, and a --download-rows CSV download's RSS (see governance.ts); `partitioning`: event time
     * against arrival (partitioning.ts). None is part of the default run.
     */
    only: { type: 'string' },
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '1000' },
    persist: { type: 'boolean', default: false },
    'download-rows': { type: 'string', default: '20000000' },
  },
});
const RECORDS = Number(values.records);
const RUNS = Number(values.runs);
const QUERY_ROWS = Number(values['query-rows']);
const settings = pipelineSettings('dev');
const REPO_ROOT = join(import.meta.dirname, '../../..');
/** The `lakehouse` command: the embedded lake is started as a send starts it, from the command's bundle. */
const LAKEHOUSE = [process.execPath, join(REPO_ROOT, 'apps/cli/bin/lakehouse.mjs')];

if (values.only === 'soak') {
  const { runSoak } = await import('./soak');
  const dir = await mkdtemp(join(tmpdir(), 'lake-soak-'));
  const table = await runSoak({
    dir,
    minutes: Number(values.minutes),
    rate: Number(values.rate),
    persist: values.persist === true,
    command: LAKEHOUSE,
    cwd: REPO_ROOT,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${table}\n`);
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}

if (values.only === 'partitioning') {
  const { runPartitioningBench } = await import('./partitioning');
  const table = await runPartitioningBench({
    records: Number(values.records),
    runs: Number(values.runs),
    progress: (text) => process.stderr.isTTY && process.stderr.write(`\r\x1b[K${text}`),
  });
  process.stdout.write(`${table}\n`);
  process.exit(0);
}

if (values.only === 'governance') {
  const { runGovernance } = await import('./governance');
  const table = await runGovernance({
    command: LAKEHOUSE,
    cwd: REPO_ROOT,
    records: Number(values.records),
    runs: RUNS,
    downloadRows: Number(values['download-rows']),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${table}\n`);
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const progress = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
};

/** The baseline: kinesalite's bare put + get of the same records (server in its own process, like the lakehouse's). */
async function bareKinesalite(data: readonly Uint8Array[]): Promise<{ elapsed: number; put: number }> {
  const child = fork(join(import.meta.dirname, 'kinesis-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { endpoint } = await new Promise<{ endpoint: string }>((resolve) => child.once('message', (m) => resolve(m as { endpoint: string })));
  const client = kinesisClient({ endpoint });
  const { shards } = await ensureStream(client, settings);
  const started = performance.now();
  await putAll(client, settings.streamName, data);
  const put = performance.now() - started;
  const read = await Promise.all(shards.map((s) => readShard(client, s.ShardId ?? '')));
  const elapsed = performance.now() - started;
  const total = read.reduce((a, b) => a + b, 0);
  if (total !== data.length) throw new Error(`baseline read ${total} of ${data.length} records`);
  child.disconnect();
  return { elapsed, put };
}

async function readShard(client: KinesisClient, shardId: string): Promise<number> {
  let { ShardIterator: iterator } = await client.send(
    new GetShardIteratorCommand({ StreamName: settings.streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  let count = 0;
  for (;;) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    const n = page.Records?.length ?? 0;
    count += n;
    if (n === 0) return count;
    iterator = page.NextShardIterator;
  }
}

/** The lakehouse: put through the embedded lakehouse (in this process, as the producer runs it; its stream on disk), drain, query. */
async function endToEnd(data: readonly Uint8Array[]): Promise<{ elapsed: number; put: number; startup: number; report: DeliveryReport }> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-bench-'));
  try {
    const spawned = performance.now();
    const embedded = await startEmbeddedLake({ dataDir: dir, environment: 'dev' });
    const startup = performance.now() - spawned;
    const started = performance.now();
    await putAll(kinesisClient({ endpoint: embedded.endpoint }), embedded.streamName, data);
    const put = performance.now() - started;
    const report = await embedded.drain();
    const lake = await QueryEngine.open(dir, report.catalogFile);
    const count = Number((await lake.query('SELECT count(*) FROM events')).rows[0]?.[0]);
    lake.close();
    const elapsed = performance.now() - started;
    if (count !== data.length) throw new Error(`the lake holds ${count} of ${data.length} records`);
    return { elapsed, put, startup, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Delivery alone: conversion, Parquet through DuckDB, durable rename and checkpoint, from records in memory. */
async function deliveryAlone(data: readonly Uint8Array[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-bench-delivery-'));
  const writer = await ParquetWriter.create(parquetColumns());
  try {
    const arrival = Date.now();
    const records: StreamRecord[] = data.map((d, i) => ({
      shardId: 'shardId-000000000000',
      sequenceNumber: String(i).padStart(12, '0'),
      arrivalMillis: arrival,
      data: d,
    }));
    const delivery = new Delivery({
      // Arrival partitioning, as this row has always measured; event time has its own rows (--only partitioning).
      settings: pipelineSettings('dev', { partitioning: 'arrival' }),
      bucketDir: join(dir, 'bucket'),
      tmpDir: dir,
      limits: bufferingLimits(settings.buffering),
      columns: parquetColumns(),
      table: { catalogId: null, databaseName: settings.databaseName, tableName: settings.tableName, region: null, versionId: 'LATEST', catalogArn: null },
      checkpoints: CheckpointStore.inMemory({ streamName: settings.streamName, createdAt: 'bench' }),
      writer: async () => writer,
    });
    const started = performance.now();
    for (let i = 0; i < records.length; i += 10_000) await delivery.add(records.slice(i, i + 10_000));
    await delivery.flush('drain');
    return performance.now() - started;
  } finally {
    writer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A lake of `rows` rows in 24 hour partitions, written straight with DuckDB in the bucket's layout. */
async function queryOverRows(rows: number): Promise<Array<[string, number]>> {
  const dir = await mkdtemp(join(tmpdir(), 'lake-bench-query-'));
  const layout = localLayout(dir, settings);
  await registerTable(layout, settings);
  try {
    const perHour = Math.ceil(rows / 24);
    const duck = await openDuckDb();
    const { connection } = duck;
    for (let hour = 0; hour < 24; hour++) {
      const folder = join(layout.bucketDir, `events/year=2026/month=01/day=15/hour=${String(hour).padStart(2, '0')}`);
      await mkdir(folder, { recursive: true });
      await connection.run(`COPY (
        SELECT uuid()::VARCHAR AS uuid, TIMESTAMP '2026-01-15 00:00:00' + INTERVAL (${hour}) HOUR + INTERVAL (i % 3600) SECOND AS event_date,
               ['Active', 'Inactive', 'Canceled'][1 + i % 3] AS status, 'Name' || i AS name, 'Last' || i AS last_name,
               'user' || i || '@example.com' AS email, (900000000 + i)::BIGINT AS phone
        FROM range(${perHour}) t(i)) TO ${quoteLiteral(join(folder, `part-${hour}.parquet`))} (FORMAT parquet, COMPRESSION snappy)`);
    }
    duck.close();
    // Athena SQL, sandboxed: the way every local query runs.
    const lake = await QueryEngine.open(dir, layout.catalogFile);
    const queries: Array<[string, string]> = [
      ['GROUP BY status, all 24 hours', 'SELECT status, count(*) FROM events GROUP BY status'],
      ['count(DISTINCT uuid), all hours', 'SELECT count(DISTINCT uuid) FROM events'],
      ['one hour (partition filter)', 'SELECT status, count(*) FROM events WHERE hour = 5 GROUP BY status'],
      ['per hour with date_format (translated, macros)', "SELECT date_format(event_date, '%Y-%m-%d %H:00') AS hour, count(*) FROM events GROUP BY 1"],
    ];
    const out: Array<[string, number]> = [];
    for (const [label, sql] of queries) {
      await lake.query(sql); // warm the file system cache and DuckDB's metadata
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await lake.query(sql)).elapsedMs);
      out.push([label, median(times)]);
    }
    lake.close();
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each query's translation time, the median of 20 runs, warm (a refusal costs a translation too). */
function timesPerQuery(translator: Translator, queries: readonly string[]): number[] {
  return queries.map((sql) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      try {
        translator.translate(sql);
      } catch {
        // refused: timed all the same
      }
      times.push(performance.now() - t);
    }
    return median(times);
  });
}

/** Every check of the function table (`libs/athena-sql`), as the query it runs. */
const functionSuite = () =>
  FUNCTION_TABLE.flatMap((t) => t.rows.flatMap((row) => (row.status === 'same' ? row.checks.map((c) => c.sql) : [row.sql ?? `${row.name}()`]))).map((sql) =>
    /^\s*(SELECT|WITH|VALUES)\b/i.test(sql) ? sql : `SELECT ${sql}`,
  );

/**
 * What the translation of Athena SQL costs: the parser's loading and first use, once per process, then each query
 * of the corpus and of the function table (its median over 20 runs), warm.
 */
async function translationTimes() {
  const [started, rssBefore] = [performance.now(), process.memoryUsage().rss];
  const translator = await loadTranslator();
  const load = performance.now() - started;
  const loadMiB = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  const context: CorpusContext = {
    records: corpusRecords(),
    partitions: [{ year: 2026, month: 11, day: 25, hour: 18, records: 300 }],
    now: new Date(),
    partitioning: 'arrival',
  };
  const perQuery = timesPerQuery(
    translator,
    CORPUS.map((query) => (typeof query.sql === 'function' ? query.sql(context) : query.sql)),
  );
  const suite = functionSuite();
  const perCheck = timesPerQuery(translator, suite);
  const plain = CORPUS.filter((q) => typeof q.sql === 'string' && plainQuery(q.sql) !== undefined).length;
  return {
    load,
    loadMiB,
    median: median(perQuery),
    slowest: Math.max(...perQuery),
    plain,
    suite: { queries: suite.length, median: median(perCheck), slowest: Math.max(...perCheck) },
  };
}

const data = eventRecords(RECORDS).map(encode);
const baselines: Array<{ elapsed: number; put: number }> = [];
const lakes: Array<{ elapsed: number; put: number; startup: number }> = [];
for (let run = 1; run <= RUNS; run++) {
  progress(`run ${run}/${RUNS}: bare kinesalite put + get…`);
  baselines.push(await bareKinesalite(data));
  progress(`run ${run}/${RUNS}: lakehouse put → queryable…`);
  lakes.push(await endToEnd(data));
}
progress('delivery alone…');
const deliveryMs = median([await deliveryAlone(data), await deliveryAlone(data), await deliveryAlone(data)]);
progress('translation…');
const translation = await translationTimes();
progress(`query over ${QUERY_ROWS.toLocaleString('en-US')} rows…`);
const queryTimes = await queryOverRows(QUERY_ROWS);
progress('');

const n = RECORDS.toLocaleString('en-US');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const baseline = median(baselines.map((b) => b.elapsed));
const lakehouse = median(lakes.map((l) => l.elapsed));
const rows: Array<[string, string]> = [
  [`baseline: kinesalite bare put + get, ${n} records (median of ${RUNS})`, s(baseline)],
  ['  of which put', s(median(baselines.map((b) => b.put)))],
  [`lakehouse: put -> all queryable, ${n} records (median of ${RUNS})`, s(lakehouse)],
  ['  of which put (delivery running alongside)', s(median(lakes.map((l) => l.put)))],
  ['ratio lakehouse / baseline (target <= 1.5)', `${(lakehouse / baseline).toFixed(2)}x`],
  ['  each run', lakes.map((l, i) => `${(l.elapsed / (baselines[i]?.elapsed ?? 1)).toFixed(2)}x`).join(' ')],
  ['embedded lakehouse start-up (call -> ready, in a warm process)', `${Math.round(median(lakes.map((l) => l.startup)))} ms`],
  [`delivery alone (convert + Parquet + durable write), ${n} records`, `${Math.round(RECORDS / (deliveryMs / 1000)).toLocaleString('en-US')} records/s`],
  ...queryTimes.map(([label, ms]): [string, string] => [`query over ${QUERY_ROWS.toLocaleString('en-US')} rows: ${label}`, `${ms.toFixed(1)} ms`]),
  [`Athena SQL translation per query, median of the ${CORPUS.length}-query corpus (target <= 5 ms)`, `${translation.median.toFixed(2)} ms`],
  ['  slowest query of the corpus', `${translation.slowest.toFixed(2)} ms`],
  ['  plain queries, run as written without the parser', `${translation.plain} of ${CORPUS.length}`],
  [
    `Athena SQL translation per query, median of the function table's ${translation.suite.queries} checks (target <= 5 ms)`,
    `${translation.suite.median.toFixed(2)} ms`,
  ],
  ['  slowest check of the function table', `${translation.suite.slowest.toFixed(2)} ms`],
  [
    'parser load + warm-up, once per process (only for queries that need it)',
    `${Math.round(translation.load)} ms, +${Math.round(translation.loadMiB)} MiB RSS`,
  ],
];
process.stdout.write(`${renderTable(rows, { header: ['measure', 'result'], gap: ' | ' })}\n`);
