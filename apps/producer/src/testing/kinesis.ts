/** Test and benchmark helpers: a real Kinesis API server (kinesalite) on loopback, creating a stream, reading it back. */
import { createHash } from 'node:crypto';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  SplitShardCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

export { startKinesalite, type KinesaliteServer } from '@lakehouse/local/kinesalite';

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

/** Splits a shard at the middle of its hash key range and waits until the stream is ACTIVE again (the parent closed). */
export async function splitShard(client: KinesisClient, streamName: string, shardId: string): Promise<void> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const range = Shards.find((s) => s.ShardId === shardId)?.HashKeyRange;
  if (!range?.StartingHashKey || !range.EndingHashKey) throw new Error(`no shard ${shardId} in ${streamName}`);
  const middle = (BigInt(range.StartingHashKey) + BigInt(range.EndingHashKey)) / 2n;
  await client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: shardId, NewStartingHashKey: String(middle) }));
  for (let i = 0; i < 200; i++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE after the split`);
}

/** A user record as a consumer reads it: the Kinesis record itself, or one record of a KPL aggregate. */
export interface UserRecordRead extends StoredRecord {
  /** Its index in the aggregate it came in; undefined for a record that was not aggregated. */
  subSequenceNumber?: number;
}

/** What a de-aggregating read found: the user records, and the aggregates it dropped as the KCL does. */
export interface DeaggregatedStream {
  records: UserRecordRead[];
  /** Kinesis records read. */
  kinesisRecords: number;
  /** Aggregates holding a user record whose hash key is outside their shard's range: the KCL drops them whole. */
  dropped: number;
}

interface KplDeaggregator {
  deaggregateSync(
    record: { PartitionKey: string; Data: Uint8Array },
    computeChecksums: boolean,
    callback: (error: Error | null | undefined, records?: Array<{ PartitionKey: string; Data: string | Uint8Array; SubSequenceNumber?: number }>) => void,
  ): void;
}

/**
 * The user records of a Kinesis record as aws-kinesis-agg de-aggregates it (checksum checked): an aggregate's records
 * with their own partition keys, or the record itself. Throws on a corrupt aggregate.
 */
export async function kplUserRecords(
  data: Uint8Array,
  partitionKey: string,
): Promise<Array<{ partitionKey: string; json: string; subSequenceNumber?: number }>> {
  const module = await import('aws-kinesis-agg');
  const kpl = ((module as { default?: unknown }).default ?? module) as KplDeaggregator;
  let users: Array<{ partitionKey: string; json: string; subSequenceNumber?: number }> = [];
  let failure: Error | null | undefined;
  kpl.deaggregateSync({ PartitionKey: partitionKey, Data: data }, true, (error, found = []) => {
    failure = error; // not thrown here: the library would call back a second time
    users = found.map((u) => ({
      partitionKey: u.PartitionKey,
      json: (typeof u.Data === 'string' ? Buffer.from(u.Data, 'base64') : Buffer.from(u.Data)).toString('utf8'),
      ...(u.SubSequenceNumber === undefined ? {} : { subSequenceNumber: u.SubSequenceNumber }),
    }));
  });
  if (failure) throw failure;
  return users;
}

/**
 * Every user record in every shard, read as the KCL reads a stream (AggregatorUtil): KPL aggregates are de-aggregated
 * with aws-kinesis-agg, and an aggregate holding a user record whose hash key is outside its shard's range (it was
 * built on a shard map that changed under it) is dropped whole.
 */
export async function readUserRecords(client: KinesisClient, streamName: string): Promise<DeaggregatedStream> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const read: DeaggregatedStream = { records: [], kinesisRecords: 0, dropped: 0 };
  for (const shard of Shards) {
    const [start, end] = [BigInt(shard.HashKeyRange?.StartingHashKey ?? '0'), BigInt(shard.HashKeyRange?.EndingHashKey ?? '0')];
    const inShard = (partitionKey: string) =>
      ((hash) => hash >= start && hash <= end)(BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`));
    for (const record of await readShard(client, streamName, shard.ShardId ?? '')) {
      read.kinesisRecords++;
      const users = (await kplUserRecords(record.bytes, record.partitionKey)).map(
        ({ partitionKey, json, subSequenceNumber }): UserRecordRead => ({
          shardId: record.shardId,
          partitionKey,
          data: json,
          ...(subSequenceNumber === undefined ? {} : { subSequenceNumber }),
        }),
      );
      if (users.every((u) => inShard(u.partitionKey))) read.records.push(...users);
      else read.dropped++;
    }
  }
  return read;
}

/** One shard's records, from its start to its tip, with their bytes. */
async function readShard(client: KinesisClient, streamName: string, shardId: string): Promise<Array<StoredRecord & { bytes: Uint8Array }>> {
  const records: Array<StoredRecord & { bytes: Uint8Array }> = [];
  let { ShardIterator: iterator } = await client.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  while (iterator) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    for (const r of page.Records ?? []) {
      const bytes = r.Data ?? new Uint8Array();
      records.push({ shardId, partitionKey: r.PartitionKey ?? '', data: Buffer.from(bytes).toString('utf8'), bytes });
    }
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  return records;
}
