/**
 * What can happen to records during a run, as the stages tell it: validation, the PutRecords loop and the dry run
 * each report an outcome when it happens, and the run's Tally (report/tally.ts) is the one thing that counts them.
 * Every record taken on ends as sent (or printed), rejected or dead-lettered: requested = sent + rejected + dead-lettered.
 */
export type Outcome =
  /** Records the PutRecords loop took from the source: from then on each is sent or dead-lettered. */
  | { kind: 'requested'; records: number }
  /** Records refused before sending (invalid, oversize): taken from the source and done with at once. */
  | { kind: 'rejected'; records: number }
  /** Records a dry run printed: taken from the source and done with at once, as `sent`. */
  | { kind: 'printed'; records: number }
  /** Records Kinesis accepted, in `kinesisRecords` Kinesis records (fewer with --aggregate). */
  | { kind: 'sent'; records: number; kinesisRecords: number }
  /** Records sent again after a throttle, an internal failure or a network error (each retry counts). */
  | { kind: 'retried'; records: number }
  /** PutRecords entries refused with ProvisionedThroughputExceededException (an aggregate is one entry). */
  | { kind: 'throttled'; entries: number }
  /** Records sent again alone because their aggregate landed on a shard other than theirs (the KCL drops it). */
  | { kind: 'resent'; records: number }
  /** Records written to the dead-letter file: not delivered within the retry time, or after a fatal error. */
  | { kind: 'dead-lettered'; records: number }
  /** PutRecords failures with one error code: per entry for a partial failure, every entry of a failed call. */
  | { kind: 'error'; code: string; entries: number }
  /** A PutRecords call answered, after `ms`. */
  | { kind: 'answered'; ms: number }
  /** The shard map learnt again (a ListShards after the first). */
  | { kind: 'shard-map-refreshed' };

/** Where a stage reports its outcomes: the run's Tally, which counts them. */
export interface OutcomeCounter {
  count(outcome: Outcome): void;
}
