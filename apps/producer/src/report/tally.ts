import { LatencyHistogram } from './latency';

/**
 * What happened to every record of a run, as counts. Invariant once a run ends:
 * requested = sent + rejected + deadLettered (nothing is lost without being counted).
 */
export class Tally {
  /** Records taken from the source (generated or read). */
  requested = 0;
  /** Accepted by Kinesis (or, in a dry run, printed). */
  sent = 0;
  /** Refused before sending: invalid or oversize. */
  rejected = 0;
  /** Not delivered within the retry time, or after a fatal error: written to the dead-letter file. */
  deadLettered = 0;
  /** Records sent again after a throttle, an internal failure or a network error (a record retried twice counts twice). */
  retried = 0;
  /** Kinesis records accepted: the records themselves, or with --aggregate the aggregates (and records sent alone). */
  kinesisRecords = 0;
  /** PutRecords entries refused with ProvisionedThroughputExceededException (an aggregate counts once). */
  throttled = 0;
  /**
   * Records sent again, each on its own, because the aggregate holding them landed on a shard other than theirs
   * (the shard map changed under it): the KCL drops such an aggregate, so they must go again.
   */
  resent = 0;
  /** ListShards calls made after the first, to learn a changed shard map. */
  shardMapRefreshes = 0;
  /** PutRecords failures by error code (per entry for partial failures, per record of the request for failed calls). */
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  countError(code: string, records: number): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + records);
  }
}
