/** Test and benchmark helpers: a real Kinesis API server (kinesalite) on loopback, creating a stream, reading it back. */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

export { startKinesalite, type KinesaliteServer } from '@lakehouse/runtime/kinesalite';

/** Creates a stream and waits until it takes writes. */
export async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

export interface StoredRecord {
  shardId: string;
  partitionKey: string;
  data: string;
}

/** Every record in every shard, read like a consumer does: GetShardIterator TRIM_HORIZON, then GetRecords to the tip. */
export async function readStream(client: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StoredRecord[] = [];
  for (const shard of Shards) {
    const shardId = shard.ShardId ?? '';
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        records.push({ shardId, partitionKey: r.PartitionKey ?? '', data: Buffer.from(r.Data ?? new Uint8Array()).toString('utf8') });
      }
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
