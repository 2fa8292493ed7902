import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { classifyAwsError, isRetriable, PERMANENT_ENTRY_ERRORS, type AwsErrorKind } from '@lakehouse/aws';
import { LakehouseError, systemClock, type Clock } from '@lakehouse/runtime';
import type { DeadLetterFile } from '../report/dead-letter';
import type { Tally } from '../report/tally';
import { batches } from './batches';
import type { Entry } from './entries';
import { ConcurrencyLimit } from './concurrency-limit';
import { backoffDelay, DEFAULT_RETRY, withinBudget, type RetryPolicy } from './retry';

/** How long a partly filled request waits for more records (slow input, --rate). */
export const DEFAULT_LINGER_MS = 100;

export interface SendOptions {
  /** Any Kinesis client: AWS, the local lakehouse, kinesalite, a test double. */
  client: Pick<KinesisClient, 'send'>;
  streamName: string;
  tally: Tally;
  deadLetter: DeadLetterFile;
  /** PutRecords requests in flight at once. */
  concurrency: number;
  retry?: RetryPolicy;
  lingerMs?: number;
  /** Told about the records Kinesis accepted, as they are accepted (--echo). */
  onSent?: (entries: readonly Entry[]) => void;
  /**
   * Called once on a fatal error, to end the source: a chunk it is producing then is still
   * dead-lettered, so a source waiting for input (stdin) must end when told.
   */
  onFatal?: (error: LakehouseError) => void;
  random?: () => number;
  clock?: Clock;
}

/** How sending ended: `fatal` is the error that stopped it (a deleted stream, refused credentials, …). */
export interface SendOutcome {
  fatal?: LakehouseError;
}

/** One PutRecords call's result: entries accepted, to retry, and refused for good; or the error that stops the run. */
type PutResult = { retry: Entry[]; permanent: Entry[] } | { fatal: LakehouseError };

/**
 * Sends entries with PutRecords: batches of at most 500 records and 5 MiB, `concurrency` requests in flight.
 * Failed entries (throttling, internal failures) are retried alone, as are whole requests that failed with a
 * network error or a 5xx, with exponential backoff and full jitter, each record within the retry budget. What is
 * still not accepted then, or what a fatal error stopped, goes to the dead-letter file: every record ends up
 * counted as sent or dead-lettered. Memory holds at most `concurrency` + 2 batches, however long the source is.
 */
export async function sendEntries(source: AsyncIterable<Entry[]>, options: SendOptions): Promise<SendOutcome> {
  const run = new SendRun(options);
  const limit = new ConcurrencyLimit(options.concurrency);
  const requests = batches(source, { lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS, clock: run.clock, onUnsent: (entries) => run.deadLetter(entries) });
  try {
    for await (const batch of requests) {
      await limit.whenFree();
      // A fatal error while this batch waited for a slot: it is not sent.
      if (run.fatal) {
        await run.deadLetter(batch);
        break;
      }
      limit.start(() => run.sendBatch(batch));
    }
  } finally {
    await limit.idle();
  }
  return run.fatal ? { fatal: run.fatal } : {};
}

/** The state of one sendEntries call: the options, and the fatal error once there is one. */
class SendRun {
  readonly clock: Clock;
  fatal: LakehouseError | undefined;
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly options: SendOptions) {
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
  }

  /** Sends one batch, retrying its failed entries within the budget; never throws. */
  async sendBatch(batch: Entry[]): Promise<void> {
    const firstAttemptAt = this.clock.now();
    let entries = batch;
    try {
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.put(entries);
        if ('fatal' in result) {
          this.fail(result.fatal);
          return await this.deadLetter(entries);
        }
        await this.deadLetter(result.permanent);
        entries = result.retry;
        if (entries.length === 0) return;
        const delay = backoffDelay(attempt, this.retryPolicy, this.options.random);
        // After a fatal error elsewhere, retrying only delays the run's end.
        if (this.fatal || !withinBudget(firstAttemptAt, this.clock.now(), delay, this.retryPolicy)) return await this.deadLetter(entries);
        this.options.tally.retried += entries.length;
        await this.clock.sleep(delay);
      }
    } catch (error) {
      this.fail(new LakehouseError('unexpected', `unexpected error while sending: ${(error as Error).message}`, { cause: error }));
    }
  }

  /** One PutRecords call, counted: accepted entries are sent, the others sorted into retry and permanent. */
  private async put(entries: readonly Entry[]): Promise<PutResult> {
    const { client, streamName, tally, onSent } = this.options;
    const started = this.clock.now();
    try {
      const output = await client.send(
        new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ Data: Buffer.from(e.json), PartitionKey: e.partitionKey })) }),
      );
      tally.latency.record(this.clock.now() - started);
      const sent: Entry[] = [];
      const retry: Entry[] = [];
      const permanent: Entry[] = [];
      entries.forEach((entry, i) => {
        const result = output.Records?.[i];
        const code = result ? result.ErrorCode : 'MissingResult';
        if (!code) return void sent.push(entry);
        tally.countError(code, 1);
        (PERMANENT_ENTRY_ERRORS.has(code) ? permanent : retry).push(entry);
      });
      tally.sent += sent.length;
      if (sent.length > 0) onSent?.(sent);
      return { retry, permanent };
    } catch (error) {
      const { kind, code } = classifyAwsError(error);
      tally.countError(code, entries.length);
      return isRetriable(kind) ? { retry: [...entries], permanent: [] } : { fatal: fatalError(kind, code, streamName, error) };
    }
  }

  /** Writes records that can't be delivered to the dead-letter file; a failure to do so is fatal. */
  async deadLetter(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const { deadLetter, tally } = this.options;
    try {
      await deadLetter.write(entries);
      tally.deadLettered += entries.length;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.fail(new LakehouseError('unexpected', `cannot write the dead-letter file ${deadLetter.path} (${code}): ${entries.length} records were neither delivered nor saved`, { cause: error }));
    }
  }

  /** The first fatal error wins; the source is told to end. */
  private fail(error: LakehouseError): void {
    if (this.fatal) return;
    this.fatal = error;
    this.options.onFatal?.(error);
  }
}

/** What a fatal PutRecords error means for the user, by kind. */
function fatalError(kind: AwsErrorKind, code: string, streamName: string, cause: unknown): LakehouseError {
  switch (kind) {
    case 'resource':
      return new LakehouseError('missing', `stream "${streamName}" failed while sending (${code}): it was deleted or is being changed; check it and send the dead-letter file again`, { cause });
    case 'credentials':
      return new LakehouseError('credentials', `the credentials were refused while sending (${code}): check AWS_PROFILE and the kinesis:PutRecords permission, then send the dead-letter file again`, { cause });
    default:
      return new LakehouseError('dead-lettered', `PutRecords failed with ${code}, which no retry can fix; the records are in the dead-letter file`, { cause });
  }
}
