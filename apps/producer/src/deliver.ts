import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffDelay, DEFAULT_RETRY, withinBudget, type RetryPolicy } from './backoff';
import { BatchBuilder, DEFAULT_CONCURRENCY, type Entry } from './batching';
import type { DeadLetterFile } from './dead-letter';
import { classifyError, EXIT, isRetriable, PERMANENT_ENTRY_ERRORS, ProducerError, type ErrorKind } from './errors';
import { systemClock, type Clock } from './flow';
import type { Tally } from './tally';

export interface DeliveryOptions {
  /** Any Kinesis client: AWS, the local lakehouse, kinesalite, a test double. */
  client: Pick<KinesisClient, 'send'>;
  streamName: string;
  tally: Tally;
  deadLetter: DeadLetterFile;
  /** PutRecords requests in flight at once. */
  concurrency?: number;
  retry?: RetryPolicy;
  /** A partly filled batch is sent once its oldest record has waited this long (slow input, --rate). */
  lingerMs?: number;
  /** Told about the records Kinesis accepted, as they are accepted (--echo). */
  onDelivered?: (entries: readonly Entry[]) => void;
  /**
   * Called once on a fatal error, to end the source: a chunk it is producing then is still
   * dead-lettered, so a source waiting for input (stdin) must end when told (see until()).
   */
  onFatal?: () => void;
  random?: () => number;
  clock?: Clock;
}

export const DEFAULT_LINGER_MS = 100;

const LINGERED = Symbol('lingered');

/** What a fatal PutRecords error means for the user, by kind. */
function fatalError(kind: ErrorKind, code: string, streamName: string): ProducerError {
  switch (kind) {
    case 'stream':
      return new ProducerError(`stream "${streamName}" failed while sending (${code}): it was deleted or is being changed; check it and send the dead-letter file again`, EXIT.stream);
    case 'credentials':
      return new ProducerError(`the credentials were refused while sending (${code}): check AWS_PROFILE and the kinesis:PutRecords permission, then send the dead-letter file again`, EXIT.credentials);
    default:
      return new ProducerError(`PutRecords failed with ${code}, which no retry can fix; the records are in the dead-letter file`, EXIT.deadLettered);
  }
}

/**
 * Sends entries with PutRecords: batches of at most 500 records and 5 MiB, `concurrency` requests in flight.
 * Failed entries (throttling, internal failures) are retried alone, as are whole requests that failed
 * with a network error or a 5xx, with exponential backoff and full jitter, each record within the retry budget.
 * What is still not accepted then, or what a fatal error (a deleted stream, refused credentials) stopped,
 * goes to the dead-letter file. Every record ends up counted as sent or dead-lettered; memory holds
 * at most `concurrency` + 1 batches, however long the source is.
 */
export async function deliver(source: AsyncIterable<Entry[]>, options: DeliveryOptions): Promise<void> {
  const {
    client,
    streamName,
    tally,
    deadLetter,
    concurrency = DEFAULT_CONCURRENCY,
    retry = DEFAULT_RETRY,
    lingerMs = DEFAULT_LINGER_MS,
    onDelivered,
    onFatal,
    random = Math.random,
    clock = systemClock,
  } = options;

  const fail = (error: ProducerError) => {
    if (tally.fatal) return;
    tally.fatal = error;
    onFatal?.();
  };

  const saveUndelivered = async (entries: readonly Entry[]) => {
    if (entries.length === 0) return;
    try {
      await deadLetter.write(entries);
      tally.deadLettered += entries.length;
    } catch (error) {
      fail(
        new ProducerError(
          `cannot write the dead-letter file ${deadLetter.path} (${classifyError(error).code}): ${entries.length} records were neither delivered nor saved`,
          EXIT.unexpected,
        ),
      );
    }
  };

  const put = async (entries: readonly Entry[]): Promise<{ failed: Entry[] } | { fatal: ProducerError }> => {
    const started = clock.now();
    try {
      const output = await client.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: entries.map((e) => ({ Data: Buffer.from(e.json), PartitionKey: e.partitionKey })),
        }),
      );
      tally.latency.record(clock.now() - started);
      const results = output.Records ?? [];
      const delivered: Entry[] = [];
      const failed: Entry[] = [];
      const permanent: Entry[] = [];
      entries.forEach((entry, i) => {
        const result = results[i];
        if (result && !result.ErrorCode) return void delivered.push(entry);
        const code = result?.ErrorCode ?? 'MissingResult';
        tally.countError(code, 1);
        (PERMANENT_ENTRY_ERRORS.has(code) ? permanent : failed).push(entry);
      });
      tally.sent += delivered.length;
      if (delivered.length > 0) onDelivered?.(delivered);
      if (permanent.length > 0) await saveUndelivered(permanent);
      return { failed };
    } catch (error) {
      const { kind, code } = classifyError(error);
      tally.countError(code, entries.length);
      return isRetriable(kind) ? { failed: [...entries] } : { fatal: fatalError(kind, code, streamName) };
    }
  };

  const putWithRetries = async (batch: Entry[]): Promise<void> => {
    const firstAttemptAt = clock.now();
    let entries = batch;
    for (let attempt = 1; ; attempt++) {
      const outcome = await put(entries);
      if ('fatal' in outcome) {
        fail(outcome.fatal);
        return saveUndelivered(entries);
      }
      if (outcome.failed.length === 0) return;
      const delay = backoffDelay(attempt, retry, random);
      // After a fatal error elsewhere, retrying only delays the run's end.
      if (tally.fatal || !withinBudget(firstAttemptAt, clock.now(), delay, retry)) return saveUndelivered(outcome.failed);
      tally.retried += outcome.failed.length;
      await clock.sleep(delay);
      entries = outcome.failed;
    }
  };

  // At most `concurrency` batches in flight: a slot is taken before a batch is built into a request
  // and handed on to the next waiter when its batch is settled (delivered or dead-lettered).
  const inFlight = new Set<Promise<void>>();
  const waiting: Array<() => void> = [];
  const slotFree = () => (inFlight.size < concurrency ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve)));
  const builder = new BatchBuilder();
  const dispatch = async () => {
    if (builder.size === 0) return;
    await slotFree();
    const batch = builder.take();
    const sending: Promise<void> = putWithRetries(batch)
      .catch((error: unknown) => fail(new ProducerError(`unexpected error while sending: ${(error as Error).message}`, EXIT.unexpected)))
      .finally(() => {
        inFlight.delete(sending);
        waiting.shift()?.();
      });
    inFlight.add(sending);
  };

  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<Entry[]>> | undefined;
  const pull = () => {
    pending = iterator.next();
    pending.catch(() => undefined); // awaited below; this only keeps it from counting as "unhandled" meanwhile
    return pending;
  };
  let sourceError: unknown;
  try {
    pull();
    while (pending && !tally.fatal) {
      let next: IteratorResult<Entry[]> | typeof LINGERED;
      const waited = clock.now() - builder.startedAt;
      if (builder.size > 0 && waited >= lingerMs) next = LINGERED;
      else if (builder.size > 0) next = await raceTimeout(pending, lingerMs - waited);
      else next = await pending;
      if (next === LINGERED) {
        await dispatch();
        continue;
      }
      pending = undefined;
      if (next.done) break;
      for (const entry of next.value) {
        if (!builder.fits(entry)) await dispatch();
        builder.add(entry, clock.now());
        if (builder.full) await dispatch();
      }
      if (!tally.fatal) pull();
    }
  } catch (error) {
    sourceError = error; // a failed read: still send what was read before it
  }
  if (tally.fatal) {
    // What the source had already taken when delivery failed is dead-lettered, not lost.
    await saveUndelivered(builder.take());
    const last = await pending?.catch(() => undefined);
    if (last && !last.done) await saveUndelivered(last.value);
    await iterator.return?.().catch(() => undefined);
  } else {
    await dispatch();
  }
  await Promise.all(inFlight);
  if (sourceError) throw sourceError;
}

/** The promise's value, or LINGERED if it takes longer than `ms` (the promise keeps going). */
async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof LINGERED> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof LINGERED>((resolve) => {
    timer = setTimeout(() => resolve(LINGERED), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
