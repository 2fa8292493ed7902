import type { Outcome, OutcomeCounter } from '../outcome';
import { LatencyHistogram } from './latency';

/**
 * What happened to every record of a run, as counts. The stages report outcomes, and `count` is the only code that
 * changes these counts. Invariant once a run ends: requested = sent + rejected + deadLettered (nothing is lost
 * without being counted).
 */
export class Tally implements OutcomeCounter {
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
  /** PutRecords failures by error code (per entry for partial failures, per entry of the request for failed calls). */
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  /** Counts what a stage reported: each kind of outcome changes its own counts and no others. */
  count(outcome: Outcome): void {
    switch (outcome.kind) {
      case 'requested':
        this.requested += outcome.records;
        return;
      case 'rejected':
        this.requested += outcome.records;
        this.rejected += outcome.records;
        return;
      case 'printed':
        this.requested += outcome.records;
        this.sent += outcome.records;
        return;
      case 'sent':
        this.sent += outcome.records;
        this.kinesisRecords += outcome.kinesisRecords;
        return;
      case 'retried':
        this.retried += outcome.records;
        return;
      case 'throttled':
        this.throttled += outcome.entries;
        return;
      case 'resent':
        this.resent += outcome.records;
        return;
      case 'dead-lettered':
        this.deadLettered += outcome.records;
        return;
      case 'error':
        this.errors.set(outcome.code, (this.errors.get(outcome.code) ?? 0) + outcome.entries);
        return;
      case 'answered':
        this.latency.record(outcome.ms);
        return;
      case 'shard-map-refreshed':
        this.shardMapRefreshes++;
        return;
      default:
        return outcome satisfies never;
    }
  }
}
