const MiB = 1024 * 1024;

/** PutRecords limits (Kinesis API reference); sizes count the data and the partition key. */
export const PUT_RECORDS_LIMITS = {
  maxRecords: 500,
  maxRequestBytes: 5 * MiB,
  maxRecordBytes: 1 * MiB,
  maxPartitionKeyChars: 256,
} as const;

/** One record ready to send: its JSON, its partition key and its size as Kinesis counts it. */
export interface Entry {
  json: string;
  partitionKey: string;
  /** UTF-8 bytes of the data plus the partition key. */
  size: number;
}

export function entrySize(json: string, partitionKey: string): number {
  return Buffer.byteLength(json) + Buffer.byteLength(partitionKey);
}

/** Why a record can't be sent at all, or undefined when it can. */
export function sizeProblem(size: number): string | undefined {
  if (size <= PUT_RECORDS_LIMITS.maxRecordBytes) return undefined;
  return `record is ${size.toLocaleString('en-US')} bytes with its partition key; Kinesis takes at most ${PUT_RECORDS_LIMITS.maxRecordBytes.toLocaleString('en-US')} (1 MiB): make it smaller`;
}

/**
 * One record of a PutRecords request: a user record as it is, or (--aggregate) a KPL aggregate of several user
 * records that all map to one shard.
 */
export interface PutEntry {
  data: Uint8Array;
  partitionKey: string;
  /** UTF-8 bytes of the data plus the partition key, as Kinesis counts them. */
  size: number;
  /** The shard the producer's shard map sends it to; undefined without a shard map. */
  shardId?: string;
  /** The user records it carries: its one record, or every record of the aggregate. */
  records: readonly Entry[];
  /** Its shard's pacing holds its tokens until its request is answered (see ShardPacer.take). */
  held?: boolean;
}

/** A user record sent as it is. */
export function plainEntry(entry: Entry, shardId?: string): PutEntry {
  return { data: Buffer.from(entry.json), partitionKey: entry.partitionKey, size: entry.size, ...(shardId === undefined ? {} : { shardId }), records: [entry] };
}

/** The user records of some PutRecords entries. */
export function userRecordsOf(entries: readonly PutEntry[]): Entry[] {
  return entries.length === 1 ? [...(entries[0] as PutEntry).records] : entries.flatMap((e) => e.records);
}
