import type { JqOutcome } from './jq';

/**
 * Dynamic partitioning's MetadataExtraction, after jq has run: the query must yield one JSON object, and every key
 * the prefix names (`!{partitionKeyFromQuery:key}`) must be a string in it. Anything else sends the record to the
 * error output (`partitioning-failed`) with this error code; the record's raw bytes are kept there.
 */
export const PARTITIONING_ERROR_CODES = {
  metadataExtractionFailed: 'DynamicPartitioning.MetadataExtractionFailed',
  /** Not documented by AWS (its buffering page names only the `activePartitionExceeded` error output). */
  activePartitionExceeded: 'DynamicPartitioning.ActivePartitionExceeded',
} as const;
export type PartitioningErrorCode = (typeof PARTITIONING_ERROR_CODES)[keyof typeof PARTITIONING_ERROR_CODES];

/** Firehose's default limit on active partitions per delivery stream (raisable to 5,000 on request). */
export const DEFAULT_ACTIVE_PARTITION_LIMIT = 500;

export type PartitionKeys = Readonly<Record<string, string>>;

export type KeyExtraction = { ok: true; keys: PartitionKeys } | { ok: false; errorCode: PartitioningErrorCode; errorMessage: string };

const failed = (errorMessage: string): KeyExtraction => ({ ok: false, errorCode: PARTITIONING_ERROR_CODES.metadataExtractionFailed, errorMessage });

/** The record's partition keys from its query outcome, or why it has none. */
export function partitionKeysOf(outcome: JqOutcome, names: readonly string[]): KeyExtraction {
  if (!outcome.ok) return failed(`The JQ query failed: ${outcome.error}`);
  if (outcome.values.length !== 1) return failed(`The JQ query yielded ${outcome.values.length} values; it must yield one JSON object.`);
  const [value] = outcome.values;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return failed(`The JQ query yielded ${JSON.stringify(value)}; it must yield a JSON object.`);
  }
  const keys: Record<string, string> = {};
  for (const name of names) {
    const key = (value as Record<string, unknown>)[name];
    if (key === undefined || key === null) return failed(`The partition key "${name}" is missing from the JQ query's result.`);
    if (typeof key !== 'string') return failed(`The partition key "${name}" is ${JSON.stringify(key)}, not a string.`);
    keys[name] = key;
  }
  return { ok: true, keys };
}

/** One string per partition: the key values the prefix names, in its order (two records share a buffer iff equal). */
export function partitionId(keys: PartitionKeys, names: readonly string[]): string {
  return JSON.stringify(names.map((name) => keys[name]));
}
