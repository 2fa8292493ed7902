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
  /** Entries sent again after a throttle, an internal failure or a network error (a record retried twice counts twice). */
  retried = 0;
  /** PutRecords failures by error code (per entry for partial failures, per record of the request for failed calls). */
  readonly errors = new Map<string, number>();
  readonly latency = new LatencyHistogram();

  countError(code: string, records: number): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + records);
  }
}
