import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kinesisClient } from '@lakehouse/aws';
import type { EventRecord } from '@lakehouse/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterFile } from '../report/dead-letter';
import { Tally } from '../report/tally';
import { createRecordGenerator } from '../source/generate';
import { generatedItems } from '../source/items';
import { validEntries } from '../source/validate';
import { startFaultyKinesis, type FaultStats } from '../testing/faulty-kinesis';
import { createStream, readUserRecords } from '../testing/kinesis';
import { useKinesalite } from '../testing/use-kinesalite';
import { putRecords } from './put-records';
import { hashKeyOf } from './shard-map';
import type { ShardLimits } from './shard-pacer';

// The targets of per-shard pacing and aggregation, on 4 shards behind a double that throttles each shard as AWS does.
// The limits are AWS's scaled down by 4 (records/s and bytes/s alike), so a run takes seconds, not minutes.
const SHARDS = 4;
const LIMITS: ShardLimits = { recordsPerSecond: 250, bytesPerSecond: 256 * 1024 };

const kinesis = useKinesalite();
beforeAll(async () => {
  // Warm everything up (kinesalite, the double, the SDK, the aggregation library), as AWS is warm: cold, the first
  // requests take hundreds of ms to answer, which no shard on AWS makes a producer wait.
  await sendThrottled('warm-up-plain', 500, false);
  await sendThrottled('warm-up-aggregated', 500, true);
});

/**
 * The share of what the shards could take between the first request and the last that the double stored: each
 * shard takes one second's worth at once, then its limit per second (records or bytes, whichever is nearer).
 */
function shareOfLimit(stats: FaultStats): number {
  const seconds = ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000;
  const shards = Object.values(stats.shards);
  const stored = (key: 'records' | 'bytes') => shards.reduce((sum, s) => sum + s[key], 0);
  const capacity = (perSecond: number) => SHARDS * perSecond * (1 + seconds);
  return Math.max(stored('records') / capacity(LIMITS.recordsPerSecond), stored('bytes') / capacity(LIMITS.bytesPerSecond));
}

/**
 * `perShard` generated records for each of the 4 shards (of 4 equal hash key ranges, as kinesalite makes them): the
 * targets are about pacing, so no shard is left with records to send after the others are done.
 */
function balancedRecords(perShard: number): EventRecord[] {
  const generate = createRecordGenerator({ seed: 7 });
  const byShard: EventRecord[][] = Array.from({ length: SHARDS }, () => []);
  while (byShard.some((records) => records.length < perShard)) {
    const record = generate();
    const shard = byShard[Number((hashKeyOf(record.uuid) * BigInt(SHARDS)) >> 128n)] as EventRecord[];
    if (shard.length < perShard) shard.push(record);
  }
  return byShard.flat().sort((a, b) => a.uuid.localeCompare(b.uuid));
}

async function sendThrottled(stream: string, perShard: number, aggregate: boolean) {
  await createStream(kinesis.client, stream, SHARDS);
  const proxy = await startFaultyKinesis(kinesis.endpoint, {
    shardRecordsPerSecond: LIMITS.recordsPerSecond,
    shardBytesPerSecond: LIMITS.bytesPerSecond,
    internalFailureRate: 0,
    http500Rate: 0,
    dropBeforeRate: 0,
    dropAfterRate: 0,
    seed: 1,
  });
  const client = kinesisClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const tally = new Tally();
  const deadLetter = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), 'throttled-')), 'dead.ndjson'));
  const records = balancedRecords(perShard);
  const amount = records.length;
  let next = 0;
  const started = performance.now();
  try {
    const source = validEntries(
      generatedItems(() => records[next++] as EventRecord, amount),
      { partitionKey: 'uuid', onInvalid: 'fail', noun: 'record', tally, onRejected: () => undefined, onStop: () => undefined },
    );
    await putRecords(source, { client, streamName: stream, tally, deadLetter, concurrency: 4, shardLimits: LIMITS, aggregate });
  } finally {
    await deadLetter.close();
    client.destroy();
    await proxy.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const read = await readUserRecords(kinesis.client, stream);
  const stored = read.records.map((r) => (JSON.parse(r.data) as EventRecord).uuid);
  return { records, tally, stats: proxy.stats, stored, read, recordsPerSecond: tally.sent / seconds, share: shareOfLimit(proxy.stats) };
}

/**
 * The speed targets (95% of what the shards take, 3× with --aggregate) are the benchmark's to check, on a quiet
 * machine (`producer:bench --only throttled`): here other suites share the two cores, and a starved producer falls
 * short of them by itself. These floors fail only when pacing or aggregation is wrong; the throttled share, which
 * load can only lower, keeps the 10%.
 */
const FLOOR = { shareOfCapacity: 0.8, aggregateSpeedUp: 2 };

describe('at the shard limit: pacing each shard, and aggregating like the KPL', () => {
  let plain: Awaited<ReturnType<typeof sendThrottled>>;

  it('paces each shard: near what the shards take, at most 10% throttled, every record stored once', async () => {
    plain = await sendThrottled('throttled-plain', 3_000, false);
    const { records, tally, stats, stored, share } = plain;
    expect(share).toBeGreaterThanOrEqual(FLOOR.shareOfCapacity);
    expect(stats.throttled).toBeLessThanOrEqual(0.1 * records.length);
    expect(tally.throttled).toBe(stats.throttled);
    expect([tally.requested, tally.sent, tally.deadLettered, tally.kinesisRecords]).toEqual([12_000, 12_000, 0, 12_000]);
    expect(stored).toHaveLength(records.length);
    expect(new Set(stored)).toEqual(new Set(records.map((r) => r.uuid)));
  });

  it('with --aggregate: several times the records/s, within the same limits, every record stored once', async () => {
    const aggregated = await sendThrottled('throttled-aggregated', 8_000, true);
    const { records, tally, stats, stored, read, share, recordsPerSecond } = aggregated;
    expect(recordsPerSecond).toBeGreaterThanOrEqual(FLOOR.aggregateSpeedUp * plain.recordsPerSecond);
    expect(share).toBeGreaterThanOrEqual(FLOOR.shareOfCapacity);
    expect(stats.throttled).toBeLessThanOrEqual(0.1 * tally.kinesisRecords);
    expect([tally.requested, tally.sent, tally.deadLettered]).toEqual([32_000, 32_000, 0]);
    expect(tally.kinesisRecords).toBe(read.kinesisRecords);
    expect(tally.kinesisRecords).toBeLessThan(32_000 / 50);
    expect(read.dropped).toBe(0);
    expect(stored).toHaveLength(records.length);
    expect(new Set(stored)).toEqual(new Set(records.map((r) => r.uuid)));
  });
});
