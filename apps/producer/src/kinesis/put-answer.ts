import type { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { PERMANENT_ENTRY_ERRORS } from '@lakehouse/aws';
import type { PutEntry } from './put-entry';

export const THROTTLED = 'ProvisionedThroughputExceededException';

/** The code of an entry a short answer has no result for: retried, like any failure that may pass next time. */
export const MISSING_RESULT = 'MissingResult';

/** An aggregate Kinesis stored on another shard than the map predicted (a reshard under way). */
export interface Landed {
  entry: PutEntry;
  shardId: string;
}

/** What one PutRecords answer says of its entries, and of the shards they went to. */
export interface PutAnswer {
  /** Accepted: where the map predicted, with no map, or a record alone wherever it landed (its own key routed it). */
  sent: PutEntry[];
  /** Aggregates accepted on another shard than predicted: kept only if every record of theirs belongs there. */
  elsewhere: Landed[];
  /** Failed this time (throttled, an internal failure, no result): to try again. */
  retry: PutEntry[];
  /** Refused for good (a KMS error): to dead-letter. */
  refused: PutEntry[];
  /** Failures by error code, one per entry. */
  errors: Map<string, number>;
  /** Shards that throttled an entry: their pacing slows down. */
  throttledShards: Set<string>;
  /** Shards that accepted entries and throttled none: their pacing may speed up again. */
  succeededShards: Set<string>;
  /** An entry landed where the current map would not send it: the map must be learnt again. */
  staleMap: boolean;
}

/**
 * Sorts a PutRecords answer: each entry by its result (same order), and each shard by how it took its entries.
 * `isStale(partitionKey, shardId)` says whether a record stored on `shardId` shows the shard map is out of date.
 */
export function sortAnswer(
  entries: readonly PutEntry[],
  results: readonly PutRecordsResultEntry[],
  isStale: (partitionKey: string, shardId: string) => boolean = () => false,
): PutAnswer {
  const answer: PutAnswer = {
    sent: [],
    elsewhere: [],
    retry: [],
    refused: [],
    errors: new Map(),
    throttledShards: new Set(),
    succeededShards: new Set(),
    staleMap: false,
  };
  const acceptedShards = new Set<string>();
  entries.forEach((entry, i) => {
    const result = results[i];
    const code = result ? result.ErrorCode : MISSING_RESULT;
    if (code) return failed(answer, entry, code);
    if (entry.shardId !== undefined) acceptedShards.add(entry.shardId);
    const actual = result?.ShardId;
    if (actual === undefined || entry.shardId === undefined || actual === entry.shardId) return void answer.sent.push(entry);
    if (isStale(entry.partitionKey, actual)) answer.staleMap = true;
    if (entry.records.length > 1) answer.elsewhere.push({ entry, shardId: actual });
    else answer.sent.push(entry);
  });
  for (const shardId of acceptedShards) if (!answer.throttledShards.has(shardId)) answer.succeededShards.add(shardId);
  return answer;
}

/** An entry refused with `code`: counted, and to retry unless no retry can fix it. */
function failed(answer: PutAnswer, entry: PutEntry, code: string): void {
  answer.errors.set(code, (answer.errors.get(code) ?? 0) + 1);
  if (code === THROTTLED && entry.shardId !== undefined) answer.throttledShards.add(entry.shardId);
  (PERMANENT_ENTRY_ERRORS.has(code) ? answer.refused : answer.retry).push(entry);
}
