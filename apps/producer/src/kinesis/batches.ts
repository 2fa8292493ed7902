import type { Clock } from '@lakehouse/runtime';
import { PUT_RECORDS_LIMITS, type Entry } from './entries';

/** One PutRecords request being filled: at most 500 records and 5 MiB. */
class Batch {
  private entries: Entry[] = [];
  private bytes = 0;
  /** When its oldest entry arrived (for the linger time). */
  startedAt = 0;

  get size(): number {
    return this.entries.length;
  }

  get full(): boolean {
    return this.entries.length >= PUT_RECORDS_LIMITS.maxRecords;
  }

  fits(entry: Entry): boolean {
    return this.entries.length < PUT_RECORDS_LIMITS.maxRecords && this.bytes + entry.size <= PUT_RECORDS_LIMITS.maxRequestBytes;
  }

  add(entry: Entry, now: number): void {
    if (this.entries.length === 0) this.startedAt = now;
    this.entries.push(entry);
    this.bytes += entry.size;
  }

  take(): Entry[] {
    const entries = this.entries;
    this.entries = [];
    this.bytes = 0;
    return entries;
  }
}

export interface BatchOptions {
  /** A partly filled batch goes once its oldest record has waited this long (slow input, --rate). */
  lingerMs: number;
  clock: Clock;
  /**
   * Told, when the consumer stops early (a fatal error), about the entries taken from the source that are in no
   * batch it received: they must be dead-lettered, not lost.
   */
  onUnsent(entries: Entry[]): Promise<void>;
}

const LINGERED = Symbol('lingered');

/** The source's next chunk, or LINGERED once the open batch has waited `lingerMs` (the read keeps going). */
async function nextOrLinger(pending: Promise<IteratorResult<Entry[]>>, batch: Batch, options: BatchOptions): Promise<IteratorResult<Entry[]> | typeof LINGERED> {
  if (batch.size === 0) return pending;
  const left = options.lingerMs - (options.clock.now() - batch.startedAt);
  if (left <= 0) return LINGERED;
  const timeout = new AbortController();
  try {
    return await Promise.race([pending, options.clock.sleep(left, timeout.signal).then((): typeof LINGERED => LINGERED)]);
  } finally {
    timeout.abort();
  }
}

/**
 * PutRecords requests from a chunked source of entries (each already within the 1 MiB record limit): at most
 * 500 records and 5 MiB each, a partly filled one as soon as it has lingered. Holds at most one open batch.
 */
export async function* batches(source: AsyncIterable<Entry[]>, options: BatchOptions): AsyncGenerator<Entry[]> {
  const iterator = source[Symbol.asyncIterator]();
  const pull = () => {
    const next = iterator.next();
    next.catch(() => undefined); // awaited below; this keeps it from counting as "unhandled" meanwhile
    return next;
  };
  const batch = new Batch();
  let pending: Promise<IteratorResult<Entry[]>> | undefined = pull();
  // The chunk being split into batches: entries before `at` are in a batch, the others not yet.
  let chunk: Entry[] = [];
  let at = 0;
  let finished = false;
  let readError: unknown;
  try {
    while (pending) {
      const next = await nextOrLinger(pending, batch, options).catch((error: unknown) => {
        readError = error; // a failed read: what was read before it is still sent
        return { done: true, value: undefined } as const;
      });
      if (next === LINGERED) {
        yield batch.take();
        continue;
      }
      pending = undefined;
      if (next.done) break;
      [chunk, at] = [next.value, 0];
      while (at < chunk.length) {
        const entry = chunk[at] as Entry;
        if (!batch.fits(entry)) {
          yield batch.take();
          continue;
        }
        batch.add(entry, options.clock.now());
        at++;
        if (batch.full) yield batch.take();
      }
      pending = pull();
    }
    if (batch.size > 0) yield batch.take();
    finished = true;
    if (readError !== undefined) throw readError;
  } finally {
    if (!finished) await handBackUnsent([...batch.take(), ...chunk.slice(at)], pending, iterator, options);
  }
}

/** After an early stop: the open batch, the rest of the chunk and the chunk being read go to onUnsent. */
async function handBackUnsent(unsent: Entry[], pending: Promise<IteratorResult<Entry[]>> | undefined, iterator: AsyncIterator<Entry[]>, options: BatchOptions): Promise<void> {
  const last = await pending?.catch(() => undefined);
  if (last && !last.done) unsent.push(...last.value);
  await iterator.return?.().catch(() => undefined);
  if (unsent.length > 0) await options.onUnsent(unsent);
}
