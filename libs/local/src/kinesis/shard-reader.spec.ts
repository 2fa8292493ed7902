import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import type { KinesaliteServer } from './kinesalite';
import { ensureStream, startKinesisServer } from './kinesis-server';
import { ShardReader, type StreamRecord } from './shard-reader';

const settings = pipelineSettings('dev');

describe('ShardReader: a Kinesis consumer over GetShardIterator/GetRecords, against kinesalite', () => {
  let server: KinesaliteServer;
  let client: KinesisClient;
  let shardId: string;

  beforeAll(async () => {
    server = await startKinesisServer({ port: 0 });
    client = kinesisClient({ endpoint: server.endpoint });
    const stream = await ensureStream(client, settings);
    shardId = stream.shards[0]?.ShardId ?? '';
  });
  afterAll(() => server.close());

  /** Puts on the given shard (by its starting hash key) and returns the sequence numbers. */
  async function put(texts: string[]): Promise<string[]> {
    const sequenceNumbers: string[] = [];
    for (const text of texts) {
      const out = await client.send(
        new PutRecordCommand({ StreamName: settings.streamName, Data: new TextEncoder().encode(text), PartitionKey: 'k', ExplicitHashKey: '0' }),
      );
      sequenceNumbers.push(out.SequenceNumber ?? '');
    }
    return sequenceNumbers;
  }

  function reader(after?: string) {
    const seen: StreamRecord[] = [];
    const tips: number[] = []; // how many records had been handed over at each empty read
    const r = new ShardReader({
      client,
      streamName: settings.streamName,
      shardId,
      after,
      limit: 2,
      // An hour between empty polls: whatever the reader reads after its first empty poll, a wake-up brought.
      pollIntervalMs: 3_600_000,
      onRecords: async (records) => {
        seen.push(...records);
      },
      onCaughtUp: () => tips.push(seen.length),
    });
    return { r, seen, tips, texts: () => seen.map((s) => new TextDecoder().decode(s.data)) };
  }

  it('hands over every record in order, and reports the tip only after reading what was put before asking', async () => {
    await put(['a', 'b', 'c']);
    const { r, texts, seen, tips } = reader();
    await r.caughtUp();
    expect(texts()).toEqual(['a', 'b', 'c']);
    expect(tips).toEqual([3]); // an empty read, said only once everything before it was handed over
    // The reader now sleeps an hour; asking for the tip wakes it (were it not woken, this would never resolve).
    await put(['d', 'e']);
    await r.caughtUp();
    expect(texts()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tips.at(-1)).toBe(5);
    expect(seen.every((s) => s.shardId === shardId && s.arrivalMillis > 0)).toBe(true);
    await r.stop();
  });

  it('resumes right after a saved sequence number', async () => {
    const [, second] = await put(['x', 'y', 'z']);
    const { r, texts } = reader(second);
    await r.caughtUp();
    expect(texts()).toEqual(['z']);
    await r.stop();
  });
});
