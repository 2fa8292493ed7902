import { PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { classifyAwsError, isRetriable } from '@lakehouse/aws';
import { LakehouseError, systemClock, type Clock } from '@lakehouse/runtime';
import type { Entry } from '../entry';
import type { OutcomeCounter } from '../outcome';
import type { DeadLetterFile } from '../report/dead-letter';
import { batches } from './batches';
import { ConcurrencyLimit } from './concurrency-limit';
import { deadLetterError, fatalError, unexpectedSendError } from './fatal-errors';
import { sortAnswer, THROTTLED } from './put-answer';
import { userRecordsOf, type PutEntry } from './put-entry';
import { backoffDelay, DEFAULT_RETRY, withinBudget, type RetryPolicy } from './retry';
import type { ShardLimits } from './shard-pacer';
import { ShardRouting } from './shard-routing';

/** How long a partly filled request waits for more records (slow input, --rate). */
export const DEFAULT_LINGER_MS = 100;

export interface PutRecordsOptions {
  /** Any Kinesis client: AWS, the local lakehouse, kinesalite, a test double. */
  client: Pick<KinesisClient, 'send'>;
  streamName: string;
  /** Where what happens to the records is counted: requested as taken from the source, then sent or dead-lettered. */
  tally: OutcomeCounter;
  deadLetter: DeadLetterFile;
  /** PutRecords requests in flight at once. */
  concurrency: number;
  retry?: RetryPolicy;
  lingerMs?: number;
  /** Keep each shard under these limits, learning the shard map with ListShards; absent: no per-shard pacing. */
  shardLimits?: ShardLimits;
  /** Pack records into KPL aggregated records, grouped by the shard of their own partition key (--aggregate). */
  aggregate?: boolean;
  /** Told about the records Kinesis accepted, as they are accepted (--echo). */
  onSent?: (entries: readonly Entry[]) => void;
  /** Told where Kinesis stored each accepted entry (shard, sequence number) and how many records it holds. */
  onStored?: (stored: ReadonlyArray<{ shardId: string; sequenceNumber: string; records: number }>) => void;
  /** Told what people should know: a refused ListShards means sending without per-shard pacing. */
  onNote?: (line: string) => void;
  /**
   * Called once on a fatal error, to end the source: a chunk it is producing then is still
   * dead-lettered, so a source waiting for input (stdin) must end when told.
   */
  onFatal?: (error: LakehouseError) => void;
  random?: () => number;
  clock?: Clock;
}

/** How the PutRecords loop ended: `fatal` is the error that stopped it (a deleted stream, refused credentials, …). */
export interface PutRecordsEnd {
  fatal?: LakehouseError;
}

/** One PutRecords call's result: entries to retry and refused for good; or the error that stops the run. */
type PutResult = { retry: PutEntry[]; refused: PutEntry[] } | { fatal: LakehouseError };

/**
 * Sends entries with PutRecords: batches of at most 500 records and 5 MiB, `concurrency` requests in flight; with
 * `shardLimits`, each shard kept under its limits; with `aggregate`, records packed into KPL aggregates per shard.
 * Failed entries (throttling, internal failures) are retried alone, as are whole requests that failed with a
 * network error or a 5xx, with exponential backoff and full jitter, each record within the retry budget. What is
 * still not accepted then, or what a fatal error stopped, goes to the dead-letter file (an aggregate as its
 * records): every record taken from the source is counted as requested, then as sent or dead-lettered. Memory stays
 * flat however long the source is.
 */
export async function putRecords(source: AsyncIterable<Entry[]>, options: PutRecordsOptions): Promise<PutRecordsEnd> {
  const run = new PutRecordsRun(options);
  const routing = await run.openRouting();
  if (!routing) return { fatal: run.fatal as LakehouseError };
  const limit = new ConcurrencyLimit(options.concurrency);
  const requests = batches(takenOn(source, options.tally), {
    lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
    clock: run.clock,
    queues: routing.queues,
    onUnsent: (entries) => run.deadLetter(entries),
  });
  try {
    for await (const batch of requests) {
      await limit.whenFree();
      // A fatal error while this batch waited for a slot: it is not sent.
      if (run.fatal) {
        await run.deadLetter(userRecordsOf(batch));
        break;
      }
      limit.start(() => run.putBatch(batch, routing));
    }
  } finally {
    await limit.idle();
  }
  return run.fatal ? { fatal: run.fatal } : {};
}

/** The source's chunks, each counted as requested when the loop takes it: from then on, it is the loop's to deliver. */
async function* takenOn(source: AsyncIterable<Entry[]>, tally: OutcomeCounter): AsyncGenerator<Entry[]> {
  for await (const chunk of source) {
    tally.count({ kind: 'requested', records: chunk.length });
    yield chunk;
  }
}

/** The state of one putRecords call: its options, its clock and retry policy, and the fatal error once there is one. */
class PutRecordsRun {
  readonly clock: Clock;
  fatal: LakehouseError | undefined;
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly options: PutRecordsOptions) {
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
  }

  /** The shard map, pacing and queues (ListShards first when pacing or aggregating); undefined after a fatal error. */
  async openRouting(): Promise<ShardRouting | undefined> {
    const { client, streamName, shardLimits, aggregate, random, tally, onNote } = this.options;
    const onRefreshed = () => tally.count({ kind: 'shard-map-refreshed' });
    try {
      return await ShardRouting.open({ client, streamName, shardLimits, aggregate, retry: this.retryPolicy, clock: this.clock, random, onRefreshed, onNote });
    } catch (error) {
      if (!(error instanceof LakehouseError)) throw error;
      this.fail(error);
      return undefined;
    }
  }

  /** Puts one batch, retrying its failed entries within the budget (paced like the rest); never throws. */
  async putBatch(batch: readonly PutEntry[], routing: ShardRouting): Promise<void> {
    const firstAttemptAt = this.clock.now();
    let entries = batch;
    try {
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.putOnce(entries, routing);
        if ('fatal' in result) {
          this.fail(result.fatal);
          return await this.deadLetter(userRecordsOf(entries));
        }
        await this.deadLetter(userRecordsOf(result.refused));
        entries = routing.reroute(result.retry);
        if (entries.length === 0) return;
        const delay = backoffDelay(attempt, this.retryPolicy, this.options.random);
        // After a fatal error elsewhere, retrying only delays the run's end.
        if (this.fatal || !withinBudget(firstAttemptAt, this.clock.now(), delay, this.retryPolicy)) return await this.deadLetter(userRecordsOf(entries));
        await this.clock.sleep(delay);
        if (!(await routing.paced(entries, firstAttemptAt + this.retryPolicy.budgetMs))) return await this.deadLetter(userRecordsOf(entries));
        this.options.tally.count({ kind: 'retried', records: userRecordsOf(entries).length });
      }
    } catch (error) {
      this.fail(unexpectedSendError(error));
    }
  }

  /** One PutRecords call, timed; a failed call is sorted as retriable or fatal, an answer entry by entry. */
  private async putOnce(entries: readonly PutEntry[], routing: ShardRouting): Promise<PutResult> {
    const { client, streamName, tally } = this.options;
    const started = this.clock.now();
    let results: PutRecordsResultEntry[];
    try {
      const output = await client.send(
        new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }),
      );
      results = output.Records ?? [];
    } catch (error) {
      routing.answered(entries);
      const { kind, code } = classifyAwsError(error);
      tally.count({ kind: 'error', code, entries: entries.length });
      return isRetriable(kind) ? { retry: [...entries], refused: [] } : { fatal: fatalError(kind, code, streamName, error) };
    }
    tally.count({ kind: 'answered', ms: this.clock.now() - started });
    routing.answered(entries);
    return this.settle(entries, results, routing);
  }

  /** An answer counted: its failures, what Kinesis accepted (kept where it landed or not); what is left to retry. */
  private async settle(
    entries: readonly PutEntry[],
    results: readonly PutRecordsResultEntry[],
    routing: ShardRouting,
  ): Promise<{ retry: PutEntry[]; refused: PutEntry[] }> {
    const { tally } = this.options;
    const answer = sortAnswer(entries, results, routing.isStale);
    this.options.onStored?.(
      results.flatMap((result, i) =>
        result.ShardId && result.SequenceNumber && !result.ErrorCode
          ? [{ shardId: result.ShardId, sequenceNumber: result.SequenceNumber, records: entries[i]?.records.length ?? 0 }]
          : [],
      ),
    );
    for (const [code, count] of answer.errors) tally.count({ kind: 'error', code, entries: count });
    const throttled = answer.errors.get(THROTTLED) ?? 0;
    if (throttled > 0) tally.count({ kind: 'throttled', entries: throttled });
    routing.heard(answer);
    this.accept(answer.sent);
    const { kept, again } = await routing.place(answer.elsewhere);
    this.accept(kept);
    if (again.length > 0) tally.count({ kind: 'resent', records: again.length });
    return { retry: [...answer.retry, ...again], refused: answer.refused };
  }

  /** Entries Kinesis accepted: their records are sent. */
  private accept(entries: readonly PutEntry[]): void {
    if (entries.length === 0) return;
    const records = userRecordsOf(entries);
    this.options.tally.count({ kind: 'sent', records: records.length, kinesisRecords: entries.length });
    this.options.onSent?.(records);
  }

  /** Writes records that can't be delivered to the dead-letter file; a failure to do so is fatal. */
  async deadLetter(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const { deadLetter, tally } = this.options;
    try {
      await deadLetter.write(entries);
      tally.count({ kind: 'dead-lettered', records: entries.length });
    } catch (error) {
      this.fail(deadLetterError(deadLetter.path, entries.length, error));
    }
  }

  /** The first fatal error wins; the source is told to end. */
  private fail(error: LakehouseError): void {
    if (this.fatal) return;
    this.fatal = error;
    this.options.onFatal?.(error);
  }
}
