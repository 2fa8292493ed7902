import { PutRecordsCommand, type KinesisClient, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { classifyAwsError, isRetriable, PERMANENT_ENTRY_ERRORS, type AwsErrorKind } from '@lakehouse/aws';
import { LakehouseError, systemClock, type Clock } from '@lakehouse/runtime';
import type { DeadLetterFile } from '../report/dead-letter';
import type { Tally } from '../report/tally';
import { batches } from './batches';
import { ConcurrencyLimit } from './concurrency-limit';
import { plainEntry, userRecordsOf, type Entry, type PutEntry } from './entries';
import { KplAggregator } from './kpl';
import { backoffDelay, DEFAULT_RETRY, withinBudget, type RetryPolicy } from './retry';
import { hashKeyOf, ShardDirectory } from './shard-map';
import { ShardPacer, type ShardLimits, type ShardNeed } from './shard-pacer';
import { ShardQueues } from './shard-queues';

/** How long a partly filled request waits for more records (slow input, --rate). */
export const DEFAULT_LINGER_MS = 100;

const THROTTLED = 'ProvisionedThroughputExceededException';

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
  /** Keep each shard under these limits, learning the shard map with ListShards; absent: no per-shard pacing. */
  shardLimits?: ShardLimits;
  /** Pack records into KPL aggregated records, grouped by the shard of their own partition key (--aggregate). */
  aggregate?: boolean;
  /** Told about the records Kinesis accepted, as they are accepted (--echo). */
  onSent?: (entries: readonly Entry[]) => void;
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

/** How sending ended: `fatal` is the error that stopped it (a deleted stream, refused credentials, …). */
export interface SendOutcome {
  fatal?: LakehouseError;
}

/** One PutRecords call's result: entries to retry and refused for good; or the error that stops the run. */
type PutResult = { retry: PutEntry[]; permanent: PutEntry[] } | { fatal: LakehouseError };

/**
 * Sends entries with PutRecords: batches of at most 500 records and 5 MiB, `concurrency` requests in flight; with
 * `shardLimits`, each shard kept under its limits; with `aggregate`, records packed into KPL aggregates per shard.
 * Failed entries (throttling, internal failures) are retried alone, as are whole requests that failed with a
 * network error or a 5xx, with exponential backoff and full jitter, each record within the retry budget. What is
 * still not accepted then, or what a fatal error stopped, goes to the dead-letter file (an aggregate as its
 * records): every record ends up counted as sent or dead-lettered. Memory stays flat however long the source is.
 */
export async function sendEntries(source: AsyncIterable<Entry[]>, options: SendOptions): Promise<SendOutcome> {
  const run = new SendRun(options);
  const queues = await run.openShards();
  if (!queues) return { fatal: run.fatal as LakehouseError };
  const limit = new ConcurrencyLimit(options.concurrency);
  const requests = batches(source, { lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS, clock: run.clock, queues, onUnsent: (entries) => run.deadLetter(entries) });
  try {
    for await (const batch of requests) {
      await limit.whenFree();
      // A fatal error while this batch waited for a slot: it is not sent.
      if (run.fatal) {
        await run.deadLetter(userRecordsOf(batch));
        break;
      }
      limit.start(() => run.sendBatch(batch));
    }
  } finally {
    await limit.idle();
    options.tally.shardMapRefreshes = run.shards?.refreshes ?? 0;
  }
  return run.fatal ? { fatal: run.fatal } : {};
}

/** The state of one sendEntries call: the options, the shard map and pacing, and the fatal error once there is one. */
class SendRun {
  readonly clock: Clock;
  fatal: LakehouseError | undefined;
  shards: ShardDirectory | undefined;
  private pacer: ShardPacer | undefined;
  private readonly retryPolicy: RetryPolicy;

  constructor(private readonly options: SendOptions) {
    this.clock = options.clock ?? systemClock;
    this.retryPolicy = options.retry ?? DEFAULT_RETRY;
  }

  /** The queues records wait in: per shard when pacing or aggregating (ListShards first); undefined after a fatal error. */
  async openShards(): Promise<ShardQueues | undefined> {
    const { shardLimits, aggregate, client, streamName, onNote } = this.options;
    if (!shardLimits && !aggregate) return new ShardQueues();
    try {
      this.shards = await this.withRetries(() => ShardDirectory.open(client, streamName));
    } catch (error) {
      const { kind, code } = classifyAwsError(error);
      if (code === 'AccessDeniedException' && !aggregate) {
        onNote?.(`cannot list the shards of stream "${streamName}" (no kinesis:ListShards permission): sending without per-shard pacing`);
        return new ShardQueues();
      }
      this.fail(shardMapError(kind, code, streamName, error));
      return undefined;
    }
    this.pacer = shardLimits && new ShardPacer(shardLimits, this.clock);
    const aggregator = aggregate ? await KplAggregator.load() : undefined;
    return new ShardQueues({ shards: this.shards, ...(this.pacer ? { pacer: this.pacer } : {}), ...(aggregator ? { aggregator } : {}) });
  }

  /** A call retried like a failed request (a few times, with backoff) while it fails with a retriable error. */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= 3 || !isRetriable(classifyAwsError(error).kind)) throw error;
        await this.clock.sleep(backoffDelay(attempt, this.retryPolicy, this.options.random));
      }
    }
  }

  /** Sends one batch, retrying its failed entries within the budget (paced like the rest); never throws. */
  async sendBatch(batch: readonly PutEntry[]): Promise<void> {
    const firstAttemptAt = this.clock.now();
    let entries = batch;
    try {
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.put(entries);
        if ('fatal' in result) {
          this.fail(result.fatal);
          return await this.deadLetter(userRecordsOf(entries));
        }
        await this.deadLetter(userRecordsOf(result.permanent));
        entries = this.reroute(result.retry);
        if (entries.length === 0) return;
        const delay = backoffDelay(attempt, this.retryPolicy, this.options.random);
        // After a fatal error elsewhere, retrying only delays the run's end.
        if (this.fatal || !withinBudget(firstAttemptAt, this.clock.now(), delay, this.retryPolicy)) return await this.deadLetter(userRecordsOf(entries));
        await this.clock.sleep(delay);
        if (!(await this.paced(entries, firstAttemptAt + this.retryPolicy.budgetMs))) return await this.deadLetter(userRecordsOf(entries));
        this.options.tally.retried += userRecordsOf(entries).length;
      }
    } catch (error) {
      this.fail(new LakehouseError('unexpected', `unexpected error while sending: ${(error as Error).message}`, { cause: error }));
    }
  }

  /** One PutRecords call, counted and timed; a failed call is sorted as retriable or fatal. */
  private async put(entries: readonly PutEntry[]): Promise<PutResult> {
    const { client, streamName, tally } = this.options;
    const started = this.clock.now();
    let results: PutRecordsResultEntry[];
    try {
      const output = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })) }));
      results = output.Records ?? [];
    } catch (error) {
      this.answered(entries);
      const { kind, code } = classifyAwsError(error);
      tally.countError(code, entries.length);
      return isRetriable(kind) ? { retry: [...entries], permanent: [] } : { fatal: fatalError(kind, code, streamName, error) };
    }
    tally.latency.record(this.clock.now() - started);
    this.answered(entries);
    return this.sortResults(entries, results);
  }

  /** Entries to retry wait for their shards' pacing; false if that would take past the deadline. */
  private async paced(entries: readonly PutEntry[], deadline: number): Promise<boolean> {
    if (!this.pacer) return true;
    const held = await this.pacer.acquire(needsOf(entries), deadline);
    if (!held) return false;
    for (const entry of entries) if (entry.shardId !== undefined && held.has(entry.shardId)) entry.held = true;
    return true;
  }

  /** The pacing tokens these entries held are no longer in flight. */
  private answered(entries: readonly PutEntry[]): void {
    const held = entries.filter((e) => e.held);
    if (!this.pacer || held.length === 0) return;
    for (const [shardId, { records, bytes }] of needsOf(held)) this.pacer.answered(shardId, records, bytes);
    for (const entry of held) entry.held = false;
  }

  /** A call's entries: accepted (sent), to retry, refused for good; each shard's pacing told how it went. */
  private async sortResults(entries: readonly PutEntry[], results: readonly PutRecordsResultEntry[]): Promise<{ retry: PutEntry[]; permanent: PutEntry[] }> {
    const { tally } = this.options;
    const [sent, retry, permanent, elsewhere] = [[], [], [], []] as [PutEntry[], PutEntry[], PutEntry[], Array<[PutEntry, string]>];
    const [throttledShards, acceptedShards] = [new Set<string>(), new Set<string>()];
    entries.forEach((entry, i) => {
      const result = results[i];
      const code = result ? result.ErrorCode : 'MissingResult';
      if (!code) {
        if (entry.shardId !== undefined) acceptedShards.add(entry.shardId);
        const actual = result?.ShardId;
        if (actual === undefined || entry.shardId === undefined || actual === entry.shardId) return void sent.push(entry);
        if (this.shards?.isStale(entry.partitionKey, actual)) void this.shards.refresh();
        return void (entry.records.length > 1 ? elsewhere.push([entry, actual]) : sent.push(entry));
      }
      tally.countError(code, 1);
      if (code === THROTTLED) {
        tally.throttled++;
        if (entry.shardId !== undefined) throttledShards.add(entry.shardId);
      }
      (PERMANENT_ENTRY_ERRORS.has(code) ? permanent : retry).push(entry);
    });
    for (const shardId of throttledShards) this.pacer?.throttled(shardId);
    for (const shardId of acceptedShards) if (!throttledShards.has(shardId)) this.pacer?.succeeded(shardId);
    this.accept(sent);
    retry.push(...(await this.placeElsewhere(elsewhere)));
    return { retry, permanent };
  }

  /** Entries Kinesis accepted: their records are sent. */
  private accept(entries: readonly PutEntry[]): void {
    if (entries.length === 0) return;
    const records = userRecordsOf(entries);
    this.options.tally.sent += records.length;
    this.options.tally.kinesisRecords += entries.length;
    this.options.onSent?.(records);
  }

  /**
   * Aggregates stored on another shard than the map predicted (a reshard under way): one whose records all belong
   * to the shard it landed on is fine; otherwise the KCL drops it, so its records are returned to go again, each on
   * its own (routed by its own key, a record can't land wrong).
   */
  private async placeElsewhere(elsewhere: ReadonlyArray<[PutEntry, string]>): Promise<PutEntry[]> {
    const shards = this.shards;
    if (elsewhere.length === 0 || !shards) return [];
    if (elsewhere.some(([, actual]) => shards.map.range(actual) === undefined)) await shards.refresh();
    const again: PutEntry[] = [];
    for (const [entry, actual] of elsewhere) {
      const range = shards.map.range(actual);
      const belongs = range !== undefined && entry.records.every((r) => ((hash) => hash >= range.start && hash <= range.end)(hashKeyOf(r.partitionKey)));
      if (belongs) {
        this.accept([entry]);
        continue;
      }
      this.options.tally.resent += entry.records.length;
      again.push(...entry.records.map((r) => plainEntry(r, shards.shardOf(r.partitionKey))));
    }
    return again;
  }

  /** Entries to retry, with their shard as the map says now: an aggregate for a shard that has closed goes as its records. */
  private reroute(entries: PutEntry[]): PutEntry[] {
    const shards = this.shards;
    if (!shards) return entries;
    return entries.flatMap((entry) => {
      if (entry.shardId === undefined || shards.map.range(entry.shardId)?.open !== false) return [entry];
      return entry.records.map((r) => plainEntry(r, shards.shardOf(r.partitionKey)));
    });
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

/** What each shard must take for these entries to be sent again. */
function needsOf(entries: readonly PutEntry[]): Map<string, ShardNeed> {
  const needs = new Map<string, ShardNeed>();
  for (const { shardId, size } of entries) {
    if (shardId === undefined) continue;
    const need = needs.get(shardId) ?? { records: 0, bytes: 0 };
    needs.set(shardId, { records: need.records + 1, bytes: need.bytes + size });
  }
  return needs;
}

/** A ListShards failure at the start: what it means for the user. */
function shardMapError(kind: AwsErrorKind, code: string, streamName: string, cause: unknown): LakehouseError {
  if (code === 'AccessDeniedException') {
    return new LakehouseError('credentials', `--aggregate needs the shard map, and listing the shards of stream "${streamName}" was refused (${code}): allow kinesis:ListShards, or send without --aggregate`, { cause });
  }
  return fatalError(kind, code, streamName, cause);
}

/** What a fatal PutRecords error means for the user, by kind. */
function fatalError(kind: AwsErrorKind, code: string, streamName: string, cause: unknown): LakehouseError {
  switch (kind) {
    case 'resource':
      return new LakehouseError('missing', `stream "${streamName}" failed while sending (${code}): it was deleted or is being changed; check it and send the dead-letter file again`, { cause });
    case 'credentials':
      return new LakehouseError('credentials', `the credentials were refused while sending (${code}): check AWS_PROFILE and the kinesis:PutRecords permission, then send the dead-letter file again`, { cause });
    case 'unreachable':
      return new LakehouseError('unreachable', `the stream's endpoint could not be reached while sending (${code}); send the dead-letter file again`, { cause });
    default:
      return new LakehouseError('dead-lettered', `PutRecords failed with ${code}, which no retry can fix; the records are in the dead-letter file`, { cause });
  }
}
