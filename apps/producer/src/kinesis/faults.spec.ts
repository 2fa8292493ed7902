import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kinesisClient } from '@lakehouse/aws';
import type { EventRecord } from '@lakehouse/schema';
import { describe, expect, it } from 'vitest';
import { DeadLetterFile } from '../report/dead-letter';
import { Tally } from '../report/tally';
import { createRecordGenerator } from '../source/generate';
import { generatedItems } from '../source/items';
import { validEntries } from '../source/validate';
import { startFaultyKinesis, type Faults } from '../testing/faulty-kinesis';
import { createStream, readStream } from '../testing/kinesis';
import { useKinesalite } from '../testing/use-kinesalite';
import { putRecords } from './put-records';

const kinesis = useKinesalite();

// The double's clock is virtual: each entry offered moves it on 0.25 ms, however fast or slow this machine is. The
// first 6,000 entries offered to 2 shards of 1,000 records/s find room for at most 2 × (1,000 + 1.5 s × 1,000) =
// 5,000 of them: with 6,000 records, throttling happens by construction. The rolls are seeded per request and per
// entry: with seed 3, request 2 is dropped before storing and request 4 answered 500, whatever the timing (sending
// 6,000 records takes at least 12 requests).
const AWS_LIKE: Faults = {
  shardRecordsPerSecond: 1_000,
  internalFailureRate: 0.05,
  http500Rate: 0.05,
  dropBeforeRate: 0.05,
  dropAfterRate: 0,
  seed: 3,
  virtualMsPerEntry: 0.25,
};

/** Sends `amount` generated records through the fault-injecting proxy; returns what the producer and the stream say. */
async function sendThroughFaults(stream: string, shards: number, amount: number, faults: Faults, retryBudgetMs: number) {
  await createStream(kinesis.client, stream, shards);
  const proxy = await startFaultyKinesis(kinesis.endpoint, faults);
  const client = kinesisClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const records = Array.from({ length: amount }, createRecordGenerator({ seed: faults.seed }));
  const tally = new Tally();
  const deadLetter = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), 'faults-')), 'dead.ndjson'));
  let next = 0;
  try {
    const source = validEntries(
      generatedItems(() => records[next++] as EventRecord, amount),
      {
        partitionKey: 'uuid',
        onInvalid: 'fail',
        noun: 'record',
        tally,
        onRejected: () => undefined,
        onStop: () => undefined,
      },
    );
    await putRecords(source, {
      client,
      streamName: stream,
      tally,
      deadLetter,
      concurrency: 4,
      // Short waits: the double's clock moves with what is sent, not with time, so waiting longer changes nothing.
      retry: { baseDelayMs: 10, maxDelayMs: 100, budgetMs: retryBudgetMs },
    });
  } finally {
    await deadLetter.close();
    client.destroy();
    await proxy.close();
  }
  const stored = (await readStream(kinesis.client, stream)).map((r) => (JSON.parse(r.data) as EventRecord).uuid);
  const deadLettered =
    tally.deadLettered > 0
      ? (await readFile(deadLetter.path, 'utf8'))
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as EventRecord).uuid)
      : [];
  return { records, tally, stored, deadLettered, stats: proxy.stats };
}

describe('delivery through throttling, internal failures, 500s and dropped connections', () => {
  it('lands every record exactly once when the retry time suffices, and counts every retry', async () => {
    const { records, tally, stored, deadLettered, stats } = await sendThroughFaults('faults-all-land', 2, 6_000, AWS_LIKE, 60_000);

    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.internalFailures).toBeGreaterThan(0);
    expect(stats.http500).toBeGreaterThan(0);
    expect(stats.droppedBefore).toBeGreaterThan(0);

    expect(stored).toHaveLength(records.length);
    expect(new Set(stored)).toEqual(new Set(records.map((r) => r.uuid)));
    expect(deadLettered).toEqual([]);
    expect([tally.requested, tally.sent, tally.deadLettered, tally.rejected]).toEqual([6_000, 6_000, 0, 0]);
    // Every entry the double failed was sent again: per entry for throttles and internal failures,
    // the whole request for 500s and dropped connections.
    expect(tally.retried).toBeGreaterThanOrEqual(stats.throttled + stats.internalFailures);
    expect(tally.errors.get('ProvisionedThroughputExceededException')).toBe(stats.throttled);
    expect(tally.errors.get('ECONNRESET')).toBeGreaterThan(0);
  });

  it('dead-letters what the retry time cannot place: stream + dead letters = everything, no overlap', async () => {
    // A clock that never moves: the one shard takes its first second's 200 records and throttles everything after.
    const storm: Faults = { ...AWS_LIKE, shardRecordsPerSecond: 200, seed: 2, virtualMsPerEntry: 0 };
    const { records, tally, stored, deadLettered, stats } = await sendThroughFaults('faults-some-dead', 1, 3_000, storm, 400);

    expect(tally.sent).toBe(stats.shards['shardId-000000000000']?.records);
    expect(tally.sent).toBeGreaterThan(150); // 200 admitted, less the injected internal failures
    expect(tally.sent).toBeLessThanOrEqual(200);
    expect(tally.deadLettered).toBe(3_000 - tally.sent);
    expect(tally.sent + tally.deadLettered + tally.rejected).toBe(tally.requested);
    expect(tally.requested).toBe(records.length);
    expect(stored).toHaveLength(tally.sent);
    expect(deadLettered).toHaveLength(tally.deadLettered);
    const inStream = new Set(stored);
    expect(inStream.size).toBe(stored.length);
    expect(deadLettered.filter((uuid) => inStream.has(uuid))).toEqual([]);
    expect(new Set([...stored, ...deadLettered])).toEqual(new Set(records.map((r) => r.uuid)));
  });

  it('loses nothing when a connection drops after the records were stored; only those repeat', async () => {
    // Seed 3: requests 2 and 4 (of at least 8) are dropped after storing.
    const afterStore: Faults = { ...AWS_LIKE, dropBeforeRate: 0, http500Rate: 0, dropAfterRate: 0.1, seed: 3 };
    const { records, tally, stored, stats } = await sendThroughFaults('faults-drop-after', 2, 4_000, afterStore, 60_000);

    expect(stats.droppedAfter).toBeGreaterThanOrEqual(2);
    expect(stats.storedThenDroppedKeys.length).toBeGreaterThan(0);
    expect(tally.sent).toBe(records.length);
    expect(new Set(stored)).toEqual(new Set(records.map((r) => r.uuid)));
    // Kinesis is at least once here: the client can't tell a drop after storing from one before, so it sends those
    // records again. Each copy beyond the first is one storing whose answer was dropped (the keys are the uuids),
    // and no other record repeats.
    expect(extraCopies(stored)).toEqual(countsOf(stats.storedThenDroppedKeys));
  });
});

/** How many times each value appears, for those that appear at all. */
function countsOf(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** Each value stored more than once, with how many copies beyond the first. */
function extraCopies(values: readonly string[]): Map<string, number> {
  return new Map([...countsOf(values)].filter(([, n]) => n > 1).map(([v, n]) => [v, n - 1]));
}
