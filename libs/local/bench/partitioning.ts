import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferingLimits, type BufferingLimits } from '@lakehouse/firehose';
import { partitionKeyQuery, pipelineSettings, type Partitioning } from '@lakehouse/pipeline';
import { renderTable } from '@lakehouse/runtime';
import { parquetColumns } from '@lakehouse/schema';
import { registerTable } from '../src/catalog';
import { Delivery } from '../src/delivery/delivery';
import { loadJq } from '../src/delivery/jq-process';
import { ParquetWriter } from '../src/delivery/parquet-writer';
import type { StreamRecord } from '../src/kinesis/shard-reader';
import { localLayout } from '../src/layout';
import { Lakehouse } from '../src/lakehouse';
import { resolveOptions } from '../src/options';
import { QueryEngine } from '../src/query/engine';
import { CheckpointStore } from '../src/storage/checkpoints';
import { encode, eventRecords, putAll } from '../src/testing/records';

/**
 * `lake:bench --only partitioning`: what event-time partitioning (Firehose dynamic partitioning, locally) costs and
 * saves, each against its baseline in the same run: delivery throughput over 24 active partitions against arrival
 * partitioning, delivery alone and end to end through a lake; jq 1.6's costs and the ceiling it sets; the bytes a query
 * for one event day reads over 30 days of data. `LAKEHOUSE_JQ=jq-web` measures the WebAssembly build.
 */
const HOUR = 3_600_000;
const utf8 = new TextDecoder();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const table = { catalogId: null, databaseName: 'lakehouse_dev', tableName: 'events', region: null, versionId: 'LATEST', catalogArn: null };

/** `count` records whose events spread over `hours` hours before `end`, as Kinesis records of one shard. */
function spreadStreamRecords(count: number, end: number, hours: number): StreamRecord[] {
  let i = 0;
  const records = eventRecords(count, () => new Date(end - (i++ % hours) * HOUR - (i % 3_000) * 1_000)); // minutes 9 to 59 of each hour
  return records.map((r, n) => ({ shardId: 'shardId-000000000000', sequenceNumber: String(n).padStart(12, '0'), arrivalMillis: end, data: encode(r) }));
}

/** One delivery of the records (pages of 10,000, as GetRecords gives them), drained; its time in ms. */
async function deliver(
  dirs: { bucketDir: string; tmpDir: string },
  partitioning: Partitioning,
  records: readonly StreamRecord[],
  limits: BufferingLimits,
  writer: ParquetWriter,
  drainEvery?: number,
) {
  const settings = pipelineSettings('dev', { partitioning });
  const delivery = new Delivery({
    settings,
    ...dirs,
    limits,
    columns: parquetColumns(),
    table,
    checkpoints: CheckpointStore.inMemory({ streamName: settings.streamName, createdAt: 'bench' }),
    writer: async () => writer,
  });
  const started = performance.now();
  for (let i = 0; i < records.length; i += 10_000) {
    await delivery.add(records.slice(i, i + 10_000));
    if (drainEvery && (i / 10_000 + 1) % drainEvery === 0) await delivery.flush('drain');
  }
  await delivery.flush('drain');
  delivery.close();
  return { ms: performance.now() - started, state: delivery.partitionState() };
}

/**
 * End to end, as a lake sees it: the records put through the Kinesis API (the AWS SDK, 4 PutRecords in flight) into
 * a lake on dev's settings but for the partitioning, read, delivered and drained; its time in ms.
 */
async function throughLake(dir: string, partitioning: Partitioning, data: readonly Uint8Array[]): Promise<number> {
  const settings = pipelineSettings('dev', { partitioning });
  const lake = await Lakehouse.start({ ...resolveOptions({ environment: 'dev', dataDir: dir, port: 0 }), settings });
  const started = performance.now();
  await putAll(lake.kinesisClient(), settings.streamName, data);
  const report = await lake.stop();
  if (report.recordsDelivered !== data.length) throw new Error(`the lake delivered ${report.recordsDelivered} of ${data.length} records`);
  return performance.now() - started;
}

/** Bytes this process has read through system calls so far (Linux /proc/self/io `rchar`): what a query reads from files. */
const bytesRead = (): number => Number(/rchar:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);

export async function runPartitioningBench(options: { records: number; runs: number; progress: (text: string) => void }): Promise<string> {
  const { records: count, runs, progress } = options;
  const rows: Array<[string, string]> = [];
  const n = count.toLocaleString('en-US');
  const writer = await ParquetWriter.create(parquetColumns());
  const dir = await mkdtemp(join(tmpdir(), 'lake-bench-partitioning-'));
  try {
    progress('partitioning: jq start…');
    const loadStarted = performance.now();
    const jq = await loadJq();
    const load = performance.now() - loadStarted;

    // 1. Throughput: the same records over 24 event hours, delivered by arrival (one buffer) and by event time
    //    (24 buffers, a jq call per page), alternating runs so both see the same machine.
    const records = spreadStreamRecords(count, Date.UTC(2026, 10, 20, 23, 59, 59), 24);
    const limits = bufferingLimits(pipelineSettings('dev').buffering);
    const times: Record<Partitioning, number[]> = { arrival: [], 'event-time': [] };
    let active = 0;
    for (let run = 1; run <= runs; run++) {
      for (const partitioning of ['arrival', 'event-time'] as const) {
        progress(`partitioning: run ${run}/${runs}, ${partitioning}…`);
        const runDir = await mkdtemp(join(dir, 'run-'));
        const { ms, state } = await deliver({ bucketDir: join(runDir, 'bucket'), tmpDir: runDir }, partitioning, records, limits, writer);
        if (partitioning === 'event-time') active = Math.max(active, state.peakActive);
        times[partitioning].push(ms);
        await rm(runDir, { recursive: true, force: true });
      }
    }
    const rate = (ms: number) => count / (ms / 1000);
    const arrival = rate(median(times.arrival));
    const eventTime = rate(median(times['event-time']));
    rows.push(
      [
        `delivery, arrival partitioning (1 buffer), ${n} records over 24 event hours (median of ${runs})`,
        `${Math.round(arrival).toLocaleString('en-US')} records/s`,
      ],
      [`delivery, event-time partitioning (${active} active partitions, jq per page)`, `${Math.round(eventTime).toLocaleString('en-US')} records/s`],
      ['ratio event-time / arrival (target >= 0.8)', `${(eventTime / arrival).toFixed(2)}x`],
    );

    // 1b. The same records end to end, through the Kinesis API into a lake, alternating runs.
    const lakeTimes: Record<Partitioning, number[]> = { arrival: [], 'event-time': [] };
    for (let run = 1; run <= runs; run++) {
      for (const partitioning of ['arrival', 'event-time'] as const) {
        progress(`partitioning: through a lake, run ${run}/${runs}, ${partitioning}…`);
        const runDir = await mkdtemp(join(dir, 'lake-run-'));
        lakeTimes[partitioning].push(
          await throughLake(
            runDir,
            partitioning,
            records.map((r) => r.data),
          ),
        );
        await rm(runDir, { recursive: true, force: true });
      }
    }
    const lakeArrival = rate(median(lakeTimes.arrival));
    const lakeEventTime = rate(median(lakeTimes['event-time']));
    rows.push(
      [
        `end to end (put through the Kinesis API, read, delivered), arrival partitioning (median of ${runs})`,
        `${Math.round(lakeArrival).toLocaleString('en-US')} records/s`,
      ],
      ['end to end, event-time partitioning', `${Math.round(lakeEventTime).toLocaleString('en-US')} records/s`],
      ['ratio event-time / arrival, end to end', `${(lakeEventTime / lakeArrival).toFixed(2)}x`],
    );

    // 2. jq 1.6: start, one call's fixed cost, the cost per record in a page-sized batch, and jq alone.
    progress('partitioning: jq…');
    const query = partitionKeyQuery();
    const texts = records.slice(0, 10_000).map((r) => utf8.decode(r.data));
    await jq.evaluate(query, texts.slice(0, 100)); // warm
    const single: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await jq.evaluate(query, [texts[i] ?? '']);
      single.push(performance.now() - t);
    }
    const batch: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await jq.evaluate(query, texts);
      batch.push(performance.now() - t);
    }
    // The ceiling: jq alone over the throughput run's pages, all at once (as many processes as it runs in parallel).
    const pages = Array.from({ length: Math.ceil(count / 10_000) }, (_, p) => records.slice(p * 10_000, (p + 1) * 10_000).map((r) => utf8.decode(r.data)));
    const alone: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await Promise.all(pages.map((page) => jq.evaluate(query, page)));
      alone.push(rate(performance.now() - t));
    }
    rows.push(
      [`${jq.engine}: start, once per process`, `${Math.round(load)} ms`],
      [
        `  jq alone over the same ${n} records, its pages at once, no delivery (median of ${runs}): event time's ceiling`,
        `${Math.round(median(alone)).toLocaleString('en-US')} records/s = ${(median(alone) / arrival).toFixed(2)}x arrival`,
      ],
      ['  one jq call for 1 record (median of 20)', `${median(single).toFixed(1)} ms`],
      [`  per record, ${texts.length.toLocaleString('en-US')} records in one call (median of 3)`, `${((median(batch) * 1000) / texts.length).toFixed(1)} µs`],
    );

    // 3. Pruning: 30 days of event-time data, delivered a day at a time (24 partitions each); a query for one event
    //    day against the same query over everything, as bytes read from the files.
    progress('partitioning: 30 days of data…');
    const lakeDir = await mkdtemp(join(dir, 'lake-'));
    const settings = pipelineSettings('dev', { partitioning: 'event-time' });
    const layout = localLayout(lakeDir, settings);
    await registerTable(layout, settings);
    const perDay = 2_000;
    // In time order (as a stream mostly is): a page of 10,000 spans 5 days, 120 partitions, under the limit of 500.
    const end = Date.UTC(2026, 10, 30, 23, 59, 59);
    let k = 0;
    const events = eventRecords(perDay * 30, () => new Date(end - k++ * ((30 * 24 * HOUR) / (perDay * 30))));
    const lakeRecords: StreamRecord[] = events.map((r, n) => ({
      shardId: 'shardId-000000000000',
      sequenceNumber: String(n).padStart(12, '0'),
      arrivalMillis: end,
      data: encode(r),
    }));
    const onDay15 = events.filter((r) => r.event_date.startsWith('2026-11-15')).length;
    await mkdir(join(lakeDir, 'tmp'), { recursive: true });
    await deliver(
      { bucketDir: layout.bucketDir, tmpDir: join(lakeDir, 'tmp') },
      'event-time',
      lakeRecords,
      { sizeBytes: 128 * 1024 * 1024, intervalMillis: 3_600_000 },
      writer,
      2,
    );
    const select = 'SELECT status, count(DISTINCT uuid) AS users, max(event_date) AS last FROM events';
    // A fresh engine per query: DuckDB caches what it read from files, so a second query would read nothing.
    const measure = async (sql: string) => {
      const engine = await QueryEngine.open(lakeDir, layout.catalogFile);
      try {
        const before = bytesRead();
        const result = await engine.query(sql);
        return { bytes: bytesRead() - before, rows: result.rows };
      } finally {
        engine.close();
      }
    };
    const full = await measure(`${select} GROUP BY status`);
    const day = await measure(`${select} WHERE year = 2026 AND month = 11 AND day = 15 GROUP BY status`);
    const users = (r: { rows: Array<Array<string | null>> }) => r.rows.reduce((n, row) => n + Number(row[1]), 0);
    if (users(full) !== events.length || users(day) !== onDay15) throw new Error(`the lake answered ${users(full)} and ${users(day)} rows`);
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
    rows.push(
      [`query over 30 event days (${(perDay * 30).toLocaleString('en-US')} rows, 720 hour folders): all days, bytes read`, mib(full.bytes)],
      ['  one event day (WHERE year = … AND month = … AND day = …), bytes read', mib(day.bytes)],
      ['  ratio one day / all (target near 1/30 = 0.033)', `${(day.bytes / full.bytes).toFixed(3)}`],
    );
  } finally {
    writer.close();
    await rm(dir, { recursive: true, force: true });
  }
  progress('');
  return renderTable(rows, { header: ['measure', 'result'], gap: ' | ' });
}
