import type { Entry } from '../entry';

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
