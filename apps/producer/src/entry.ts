const MiB = 1024 * 1024;

/** PutRecords limits (Kinesis API reference); sizes count the data and the partition key. */
export const PUT_RECORDS_LIMITS = {
  maxRecords: 500,
  maxRequestBytes: 5 * MiB,
  maxRecordBytes: 1 * MiB,
  maxPartitionKeyChars: 256,
} as const;

/**
 * One record ready to send: its JSON, its partition key and its size as Kinesis counts it. Made by validation
 * (source/), sent (kinesis/), dead-lettered (report/).
 */
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
