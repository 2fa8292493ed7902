import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parseErrorObjectBody, type PartitioningErrorRecord } from '@lakehouse/firehose';
import { kplAggregate } from '@lakehouse/firehose/testing';
import { pipelineSettings } from '@lakehouse/pipeline';
import { manualClock } from '@lakehouse/runtime/testing';
import { parquetColumns } from '@lakehouse/schema';
import { FIRST_SHARD, useDeliveryBench } from '../testing/delivery-bench';
import { encode, eventRecords } from '../testing/records';
import { CheckpointStore } from '../storage/checkpoints';
import type { StreamRecord } from '../kinesis/shard-reader';
import { Delivery } from './delivery';
import { ParquetWriter } from './parquet-writer';

const EVENT_TIME = { partitioning: 'event-time' } as const;
const HOUR = 3_600_000;

/** `count` valid records whose event_date runs back from `start`, `stepMillis` apart. */
function spreadRecords(count: number, start: number, stepMillis: number) {
  let i = 0;
  return eventRecords(count, () => new Date(start - stepMillis * i++));
}

/** The folder an event_date belongs in: its own UTC hour. */
const hourFolder = (eventDate: string): string =>
  `year=${eventDate.slice(0, 4)}/month=${eventDate.slice(5, 7)}/day=${eventDate.slice(8, 10)}/hour=${eventDate.slice(11, 13)}/`;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every Parquet row in the bucket with the folder it lies in. */
async function rowsWithFolders(bucketDir: string): Promise<Array<{ uuid: string; event_date: string; folder: string }>> {
  const rows: Array<{ uuid: string; event_date: string; folder: string }> = [];
  for (const file of await filesUnder(join(bucketDir, 'events'))) {
    const folder = relative(join(bucketDir, 'events'), file).replace(/[^/]*$/, '');
    for (const row of await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: ['uuid', 'event_date'] })) {
      rows.push({ uuid: String(row.uuid), event_date: new Date(Number(row.event_date) || (row.event_date as Date)).toISOString(), folder });
    }
  }
  return rows;
}

describe('Delivery with event-time partitioning (Firehose dynamic partitioning, a real jq 1.6)', () => {
  const bench = useDeliveryBench();
  const { delivery, streamRecords } = bench;

  it('puts every row in the folder of its own event_date hour, one object per partition, in one burst over three days', async () => {
    const d = delivery(undefined, undefined, EVENT_TIME);
    const records = spreadRecords(120, Date.parse('2026-11-20T23:59:59.999Z'), 37 * 60_000 + 13); // 3 days back
    const arrival = Date.parse('2026-11-21T00:01:00.000Z');
    const burst = [
      ...streamRecords(records.slice(0, 60).map(encode), arrival),
      ...streamRecords(records.slice(60).map(encode), arrival, 'shardId-000000000001'),
    ];
    await d.add(burst);
    await d.idle(); // pages are placed once jq has given their keys
    const hours = new Set(records.map((r) => hourFolder(r.event_date)));
    expect(d.partitionState().active).toBe(hours.size);
    await d.flush('drain');
    const bucket = join(bench.dir, 'bucket');
    const rows = await rowsWithFolders(bucket);
    expect(rows).toHaveLength(records.length);
    for (const row of rows) expect(row.folder).toBe(hourFolder(row.event_date));
    expect(new Set(rows.map((r) => r.uuid))).toEqual(new Set(records.map((r) => r.uuid)));
    expect(bench.events.map((e) => e.object.kind)).toEqual(Array.from(hours, () => 'data'));
    // Names keep Firehose's shape: the oldest record's arrival, not the event time.
    for (const { object } of bench.events) {
      expect(object.key).toMatch(
        /^events\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\/lakehouse-dev-events-to-s3-1-2026-11-21-00-01-00-[0-9a-f-]{36}\.parquet$/,
      );
    }
    // Every partition delivered: each shard's position is its last record.
    expect(bench.checkpoints.position(FIRST_SHARD)).toBe(burst[59]?.sequenceNumber);
    expect(bench.checkpoints.position('shardId-000000000001')).toBe(burst.at(-1)?.sequenceNumber);
    expect(bench.checkpoints.partitionPositions()).toEqual({});
    expect(d.partitionState().active).toBe(0);
    d.close();
  });

  it('sends each record the query can’t place to errors/partitioning-failed/, once, with its raw bytes; conversion failures stay format-conversion-failed', async () => {
    const d = delivery(undefined, undefined, EVENT_TIME);
    const [good] = eventRecords(1);
    const broken = [
      'not json',
      JSON.stringify({ ...good, event_date: undefined }),
      JSON.stringify({ ...good, event_date: 20261120 }),
      JSON.stringify({ ...good, event_date: '2026-11-20 23:59:59' }),
      JSON.stringify({ ...good, event_date: '2026-11-20T23:59:59.123' }),
      JSON.stringify({ ...good, event_date: '1999-11-20T23:59:59.123Z' }),
      '[1,2]',
    ];
    const unconvertible = JSON.stringify({ ...good, event_date: '2026-11-20T10:00:00.000Z', phone: 'not a number' });
    await d.add(streamRecords([...broken, JSON.stringify(good), unconvertible].map(encode), Date.parse('2026-11-21T00:01:00.000Z')));
    await d.flush('drain');
    const byKind = (kind: string) => bench.events.filter((e) => e.object.key.split('/')[1] === kind);
    const failedObject = byKind('partitioning-failed')[0]?.object;
    expect(failedObject?.key).toMatch(/^errors\/partitioning-failed\/year=2026\/month=11\/day=21\/hour=00\/lakehouse-dev-events-to-s3-1-/);
    const failed = parseErrorObjectBody<PartitioningErrorRecord>(await readFile(failedObject?.path ?? '', 'utf8'));
    expect(failed.map((f) => Buffer.from(f.rawData, 'base64').toString())).toEqual(broken);
    expect(new Set(failed.map((f) => f.errorCode))).toEqual(new Set(['DynamicPartitioning.MetadataExtractionFailed']));
    expect(failed[0]).toMatchObject({ attemptsMade: 1, subSequenceNumber: null });
    expect(failed[0]?.errorMessage).toMatch(/JQ query failed/);
    const conversion = byKind('format-conversion-failed')[0]?.object;
    expect(conversion?.key).toMatch(/^errors\/format-conversion-failed\//);
    expect(parseErrorObjectBody(await readFile(conversion?.path ?? '', 'utf8')).map((f) => f.lastErrorCode)).toEqual(['DataFormatConversion.MalformedData']);
    expect(d.report({ bucketDir: '', catalogFile: '' })).toMatchObject({ recordsDelivered: 1, recordsFailed: broken.length + 1 });
    d.close();
  });

  it('applies the buffering hints per partition: a full partition is delivered alone, each interval runs from its own first record', async () => {
    const clock = manualClock();
    const [sample] = eventRecords(1);
    const size = encode(sample).byteLength;
    const d = delivery({ sizeBytes: size * 3, intervalMillis: 1000 }, clock, EVENT_TIME);
    const at = (iso: string) => spreadRecords(1, Date.parse(iso), 0).map(encode);
    await d.add(streamRecords([...at('2026-11-20T10:00:00Z'), ...at('2026-11-20T11:00:00Z'), ...at('2026-11-20T10:10:00Z')]));
    await d.idle(); // placed once jq has given their keys
    await clock.advance(500);
    await d.add(streamRecords([...at('2026-11-20T10:20:00Z'), ...at('2026-11-20T12:00:00Z')]));
    await d.idle();
    expect(bench.events.map((e) => [e.reason, e.object.key.slice(0, 41), e.object.records])).toEqual([
      ['size', 'events/year=2026/month=11/day=20/hour=10/', 3],
    ]);
    await clock.advance(500);
    await d.idle();
    expect(bench.events.slice(1).map((e) => [e.reason, e.object.key.slice(0, 41)])).toEqual([['interval', 'events/year=2026/month=11/day=20/hour=11/']]);
    await clock.advance(500);
    await d.idle();
    expect(bench.events.slice(2).map((e) => [e.reason, e.object.key.slice(0, 41)])).toEqual([['interval', 'events/year=2026/month=11/day=20/hour=12/']]);
    d.close();
  });

  it('past the active-partition limit, sends records of new partitions to errors/activePartitionExceeded/ until partitions are delivered', async () => {
    const d = delivery(undefined, undefined, { ...EVENT_TIME, activePartitionLimit: 3 });
    const hours = ['05', '06', '07', '08', '09'].map((h) => spreadRecords(2, Date.parse(`2026-11-20T${h}:30:00Z`), 1000));
    await d.add(streamRecords(hours.flat().map(encode)));
    await d.idle();
    expect(d.partitionState()).toMatchObject({ active: 3, limit: 3, exceededRecords: 4 });
    await d.flush('drain');
    const exceeded = bench.events.find((e) => e.object.key.startsWith('errors/activePartitionExceeded/'))?.object;
    const records = parseErrorObjectBody<PartitioningErrorRecord>(await readFile(exceeded?.path ?? '', 'utf8'));
    expect(records.map((r) => (JSON.parse(Buffer.from(r.rawData, 'base64').toString()) as { uuid: string }).uuid)).toEqual(
      [...(hours[3] ?? []), ...(hours[4] ?? [])].map((r) => r.uuid),
    );
    expect(new Set(records.map((r) => r.errorCode))).toEqual(new Set(['DynamicPartitioning.ActivePartitionExceeded']));
    // Once delivered, partitions are no longer active: the next records of hour 08 open a partition again.
    await d.add(streamRecords(spreadRecords(1, Date.parse('2026-11-20T08:45:00Z'), 0).map(encode)));
    await d.flush('drain');
    expect(bench.events.at(-1)?.object.key).toMatch(/^events\/year=2026\/month=11\/day=20\/hour=08\//);
    d.close();
  });

  it('de-aggregates KPL records before partitioning: the user records of one aggregate land in their own hours', async () => {
    const d = delivery(undefined, undefined, EVENT_TIME);
    const users = [...spreadRecords(1, Date.parse('2026-11-19T03:00:00Z'), 0), ...spreadRecords(1, Date.parse('2026-11-20T04:00:00Z'), 0)];
    const aggregate = await kplAggregate(users.map((u) => ({ partitionKey: u.uuid, data: encode(u) })));
    await d.add(streamRecords([aggregate]));
    await d.flush('drain');
    const rows = await rowsWithFolders(join(bench.dir, 'bucket'));
    expect(rows.map((r) => r.folder).sort()).toEqual(['year=2026/month=11/day=19/hour=03/', 'year=2026/month=11/day=20/hour=04/']);
    d.close();
  });
});

describe('exactly once across a crash with many open partitions (checkpoints on disk)', () => {
  it('a restart that reads the stream again from the saved positions delivers each record once, with 50 partitions open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lake-partitions-'));
    const settings = pipelineSettings('dev', { partitioning: 'event-time' });
    const writer = await ParquetWriter.create(parquetColumns());
    const bucketDir = join(dir, 'bucket');
    const file = join(dir, 'checkpoints.json');
    const stream = { streamName: settings.streamName, createdAt: 'then' };
    const table = { catalogId: null, databaseName: 'db', tableName: 'events', region: null, versionId: 'LATEST', catalogArn: null };
    try {
      await mkdir(join(dir, 'tmp'), { recursive: true });
      // 50 hours; hours 0-9 get many records (their partitions fill the size hint and are delivered), the others few.
      const records = Array.from({ length: 50 }, (_, h) => spreadRecords(h < 10 ? 12 : 2, Date.parse('2026-11-20T23:30:00Z') - h * HOUR, 1000)).flat();
      let seq = 0;
      const all: StreamRecord[] = records.map((r, i) => ({
        shardId: i % 2 === 0 ? FIRST_SHARD : 'shardId-000000000001',
        sequenceNumber: String(++seq).padStart(10, '0'),
        arrivalMillis: Date.parse('2026-11-21T00:00:00Z'),
        data: encode(r),
      }));
      // Interleave partitions: reading order is round-robin over hours, so every partition is open at once.
      const order = [...all].sort(
        (a, b) => (Number(a.sequenceNumber) % 7) - (Number(b.sequenceNumber) % 7) || Number(a.sequenceNumber) - Number(b.sequenceNumber),
      );
      const size = encode(records[0]).byteLength;
      const open = async () => {
        const { store } = await CheckpointStore.open({ file, stream, bucketDir });
        const delivery = new Delivery({
          settings,
          bucketDir,
          tmpDir: join(dir, 'tmp'),
          limits: { sizeBytes: size * 6, intervalMillis: 3_600_000 },
          columns: parquetColumns(),
          table,
          checkpoints: store,
          writer: async () => writer,
        });
        return { store, delivery };
      };
      // Re-number in reading order so each shard's sequence numbers rise as it is read.
      const perShard = new Map<string, number>();
      const reading = order.map((r) => {
        const n = (perShard.get(r.shardId) ?? 0) + 1;
        perShard.set(r.shardId, n);
        return { ...r, sequenceNumber: String(n).padStart(10, '0') };
      });
      const first = await open();
      for (let i = 0; i < reading.length; i += 25) await first.delivery.add(reading.slice(i, i + 25));
      await first.delivery.idle();
      expect(first.delivery.partitionState().active).toBeGreaterThanOrEqual(40);
      first.delivery.close(); // the crash: buffers lost, nothing flushed
      const before = new Set((await rowsWithFolders(bucketDir)).map((r) => r.uuid));
      expect(before.size).toBeGreaterThan(0);

      const second = await open();
      const resumed = reading.filter((r) => {
        const position = second.store.position(r.shardId);
        return position === undefined || BigInt(r.sequenceNumber) > BigInt(position);
      });
      expect(resumed.length).toBeLessThan(reading.length); // some of the stream was settled for good
      // Read again are records delivered already (full partitions), past the saved shard positions: skipped by
      // their partition's saved position, not delivered twice.
      const uuidOf = (r: StreamRecord) => (JSON.parse(new TextDecoder().decode(r.data)) as { uuid: string }).uuid;
      expect(resumed.filter((r) => before.has(uuidOf(r))).length).toBeGreaterThan(0);
      for (let i = 0; i < resumed.length; i += 25) await second.delivery.add(resumed.slice(i, i + 25));
      await second.delivery.flush('drain');
      second.delivery.close();

      const rows = await rowsWithFolders(bucketDir);
      expect(rows.map((r) => r.uuid).sort()).toEqual(records.map((r) => r.uuid).sort());
      for (const row of rows) expect(row.folder).toBe(hourFolder(row.event_date));
    } finally {
      writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
