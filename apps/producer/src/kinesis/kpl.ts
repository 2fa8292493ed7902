/**
 * KPL aggregation (--aggregate): many user records in one Kinesis record, in the KPL's format (magic, protobuf
 * AggregatedRecord, MD5), built by aws-kinesis-agg, AWS Labs' library for it. The library sizes partition keys by
 * JavaScript string length and caps at 1 MiB − 20 bytes of data alone, while Kinesis counts UTF-8 data + partition
 * key: the sizes here are computed in UTF-8 bytes and the cap is enforced here.
 */
import { PUT_RECORDS_LIMITS, type Entry } from '../entry';
import type { PutEntry } from './put-entry';

/** How large an aggregate grows (the KPL's default AggregationMaxSize): small enough to pace a shard smoothly. */
export const AGGREGATE_MAX_BYTES = 51_200;

/** The magic number before the protobuf message and the MD5 after it. */
const FRAMING_BYTES = 4 + 16;

const varintBytes = (value: number): number => {
  let bytes = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) bytes++;
  return bytes;
};

/**
 * The size of an aggregate being filled, exactly as the library encodes it (partition key table, then one
 * length-delimited record per user record: key index and data), plus the outer partition key Kinesis counts.
 */
export class AggregateSizer {
  private readonly keys = new Map<string, number>();
  private protobufBytes = 0;
  private outerKeyBytes = 0;
  count = 0;

  /** Data + outer partition key bytes of the aggregate as it is. */
  get size(): number {
    return this.count === 0 ? 0 : FRAMING_BYTES + this.protobufBytes + this.outerKeyBytes;
  }

  /** Its size once `entry` is added. */
  sizeWith(entry: Entry): number {
    return FRAMING_BYTES + this.protobufBytes + this.growth(entry) + (this.count === 0 ? Buffer.byteLength(entry.partitionKey) : this.outerKeyBytes);
  }

  add(entry: Entry): void {
    this.protobufBytes += this.growth(entry);
    if (this.count === 0) this.outerKeyBytes = Buffer.byteLength(entry.partitionKey);
    if (!this.keys.has(entry.partitionKey)) this.keys.set(entry.partitionKey, this.keys.size);
    this.count++;
  }

  private growth(entry: Entry): number {
    const keyBytes = Buffer.byteLength(entry.partitionKey);
    const index = this.keys.get(entry.partitionKey);
    const table = index === undefined ? 1 + varintBytes(keyBytes) + keyBytes : 0;
    const dataBytes = entry.size - keyBytes;
    const record = 1 + varintBytes(index ?? this.keys.size) + 1 + varintBytes(dataBytes) + dataBytes;
    return table + 1 + varintBytes(record) + record;
  }
}

/** What this module uses of aws-kinesis-agg (its own typings import aws-sdk v2 and aws-lambda types). */
interface KplLibrary {
  RecordAggregator: new () => { addUserRecord(record: { partitionKey: string; data: Buffer }): void; build(): { partitionKey: string; data: Buffer } };
}

/** Builds aggregates: loaded only with --aggregate, since the library (with protobufjs) costs 50–70 ms to load. */
export class KplAggregator {
  private constructor(private readonly library: KplLibrary) {}

  static async load(): Promise<KplAggregator> {
    const module = await import('aws-kinesis-agg');
    return new KplAggregator(((module as { default?: unknown }).default ?? module) as KplLibrary);
  }

  /**
   * One Kinesis record for these user records of one shard: the record itself when there is one (as the KPL sends
   * a lone record), else their aggregate, keyed by its first record's partition key so Kinesis routes it to that shard.
   */
  build(entries: readonly Entry[], shardId: string | undefined): PutEntry {
    const first = entries[0] as Entry;
    if (entries.length === 1)
      return {
        data: Buffer.from(first.json),
        partitionKey: first.partitionKey,
        size: first.size,
        ...(shardId === undefined ? {} : { shardId }),
        records: entries,
      };
    const aggregator = new this.library.RecordAggregator();
    for (const e of entries) aggregator.addUserRecord({ partitionKey: e.partitionKey, data: Buffer.from(e.json) });
    const { data, partitionKey } = aggregator.build();
    const size = data.byteLength + Buffer.byteLength(partitionKey);
    if (size > PUT_RECORDS_LIMITS.maxRecordBytes)
      throw new Error(`an aggregate of ${entries.length} records came to ${size} bytes, over the 1 MiB record limit`);
    return { data, partitionKey, size, ...(shardId === undefined ? {} : { shardId }), records: entries };
  }
}
