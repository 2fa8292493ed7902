import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListShardsCommand, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { EventRecord } from '@lakehouse/schema';
import { describe, expect, it } from 'vitest';
import { DeadLetterFile } from '../report/dead-letter';
import { Tally } from '../report/tally';
import { createRecordGenerator } from '../source/generate';
import { generatedItems } from '../source/items';
import { validEntries } from '../source/validate';
import { createStream, kplUserRecords, readStream, readUserRecords, splitShard } from '../testing/kinesis';
import { useKinesalite } from '../testing/use-kinesalite';
import { equalShards, splitFirst } from '../testing/shards';
import { putRecords, type PutRecordsOptions } from './put-records';
import { hashKeyOf, ShardMap } from './shard-map';

// A shard map that changes mid-run loses nothing: a shard split in kinesalite while the producer sends.
const kinesis = useKinesalite();

const validation = (tally: Tally) =>
  ({ partitionKey: 'uuid', onInvalid: 'fail', noun: 'record', tally, onRejected: () => undefined, onStop: () => undefined }) as const;

async function sendWith(records: EventRecord[], options: Omit<PutRecordsOptions, 'tally' | 'deadLetter' | 'concurrency'>, onSent?: (sent: number) => void) {
  const tally = new Tally();
  const deadLetter = new DeadLetterFile(join(await mkdtemp(join(tmpdir(), 'reshard-')), 'dead.ndjson'));
  let next = 0;
  const source = validEntries(
    generatedItems(() => records[next++] as EventRecord, records.length),
    validation(tally),
  );
  let sent = 0;
  await putRecords(source, { ...options, tally, deadLetter, concurrency: 4, onSent: (entries) => onSent?.((sent += entries.length)) });
  await deadLetter.close();
  return tally;
}

describe('resharding mid-run: a shard split in kinesalite while records go', () => {
  it.each([
    ['plain records', false],
    ['aggregated records', true],
  ])('%s: every record stored once (as the KCL reads it), the children used once the parent closed', async (_label, aggregate) => {
    const stream = `reshard-${aggregate ? 'aggregated' : 'plain'}`;
    await createStream(kinesis.client, stream, 2);
    const records = Array.from({ length: 2_000 }, createRecordGenerator({ seed: aggregate ? 12 : 11 }));
    let split: Promise<void> | undefined;
    // Paced to take a few seconds (by records, or by bytes for aggregates); the split comes once a third is in.
    const shardLimits = aggregate ? { recordsPerSecond: 1_000, bytesPerSecond: 64 * 1024 } : { recordsPerSecond: 300, bytesPerSecond: 1_048_576 };
    const tally = await sendWith(records, { client: kinesis.client, streamName: stream, shardLimits, aggregate }, (sent) => {
      if (sent >= 700) split ??= splitShard(kinesis.client, stream, 'shardId-000000000000');
    });
    await split;

    expect([tally.requested, tally.sent, tally.deadLettered]).toEqual([2_000, 2_000, 0]);
    expect(tally.shardMapRefreshes).toBeGreaterThanOrEqual(1);
    const read = await readUserRecords(kinesis.client, stream);
    const uuids = read.records.map((r) => (JSON.parse(r.data) as EventRecord).uuid);
    expect(uuids).toHaveLength(2_000);
    expect(new Set(uuids)).toEqual(new Set(records.map((r) => r.uuid)));
    expect(new Set(read.records.map((r) => r.shardId))).toEqual(
      new Set(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']),
    );
    if (!aggregate) expect(await readStream(kinesis.client, stream)).toHaveLength(2_000); // stored once, no reader's help needed
  });
});

/** Two shards; then shard 0 split into shards 2 and 3. */
const BEFORE = equalShards(2);
const AFTER = splitFirst(BEFORE);

/**
 * A Kinesis double whose shard 0 split just after the producer listed the shards: ListShards answers the old map
 * once, then the new one; PutRecords stores each record where Kinesis would now, by its own partition key.
 */
function splitUnderfoot() {
  const stored: Array<{ shardId: string; entry: PutRecordsRequestEntry }> = [];
  const lists = [BEFORE, AFTER];
  const now = ShardMap.fromShards(AFTER);
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ListShardsCommand) return { Shards: lists.length > 1 ? lists.shift() : lists[0] };
      const { Records = [] } = (command as PutRecordsCommand).input;
      const results = Records.map((entry, i) => {
        const shardId = now.shardOf(hashKeyOf(entry.PartitionKey ?? '')) as string;
        stored.push({ shardId, entry });
        return { ShardId: shardId, SequenceNumber: String(stored.length * 10 + i) };
      });
      return { FailedRecordCount: 0, Records: results };
    },
  } as unknown as PutRecordsOptions['client'];
  return { client, stored };
}

describe('aggregates built on a map that changed under them', () => {
  it('sends again, each on its own, the records of an aggregate that landed on a child not theirs; keeps the others', async () => {
    const { client, stored } = splitUnderfoot();
    const records = Array.from({ length: 2_000 }, createRecordGenerator({ seed: 13 }));
    const tally = await sendWith(records, { client, streamName: 's', aggregate: true });

    expect([tally.requested, tally.sent, tally.deadLettered]).toEqual([2_000, 2_000, 0]);
    expect(tally.resent).toBeGreaterThan(0);
    // Read as the KCL reads: an aggregate holding a record of another shard is dropped whole.
    const read: string[] = [];
    let dropped = 0;
    for (const { shardId, entry } of stored) {
      const users = await kplUserRecords(entry.Data as Uint8Array, entry.PartitionKey ?? '');
      const range = ShardMap.fromShards(AFTER).range(shardId);
      const belongs = users.every((u) => ((h) => range !== undefined && h >= range.start && h <= range.end)(hashKeyOf(u.partitionKey)));
      if (belongs) read.push(...users.map((u) => (JSON.parse(u.json) as EventRecord).uuid));
      else dropped += users.length;
    }
    expect(dropped).toBe(tally.resent);
    expect(read).toHaveLength(2_000);
    expect(new Set(read)).toEqual(new Set(records.map((r) => r.uuid)));
  });
});
