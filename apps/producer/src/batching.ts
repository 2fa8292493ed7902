const MiB = 1024 * 1024;

/** PutRecords limits (Kinesis API reference); sizes count the data and the partition key. */
export const PUT_RECORDS_LIMITS = {
  maxRecords: 500,
  maxRequestBytes: 5 * MiB,
  maxRecordBytes: 1 * MiB,
  maxPartitionKeyChars: 256,
} as const;

/** PutRecords requests in flight at once, unless told otherwise. */
export const DEFAULT_CONCURRENCY = 4;

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
 * Fills one PutRecords request at a time: at most 500 records and 5 MiB.
 * Entries must already be within the 1 MiB record limit.
 */
export class BatchBuilder {
  private entries: Entry[] = [];
  private bytes = 0;
  /** When the oldest entry in the batch arrived (for the linger time). */
  startedAt = 0;

  get size(): number {
    return this.entries.length;
  }

  /** Whether the entry still fits in this request; if not, take() the batch first. */
  fits(entry: Entry): boolean {
    return this.entries.length < PUT_RECORDS_LIMITS.maxRecords && this.bytes + entry.size <= PUT_RECORDS_LIMITS.maxRequestBytes;
  }

  get full(): boolean {
    return this.entries.length >= PUT_RECORDS_LIMITS.maxRecords;
  }

  add(entry: Entry, now: number): void {
    if (this.entries.length === 0) this.startedAt = now;
    this.entries.push(entry);
    this.bytes += entry.size;
  }

  take(): Entry[] {
    const batch = this.entries;
    this.entries = [];
    this.bytes = 0;
    return batch;
  }
}
