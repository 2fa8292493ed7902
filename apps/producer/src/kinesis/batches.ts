import type { Clock } from '@lakehouse/runtime';
import type { Entry } from '../entry';
import type { PutEntry } from './put-entry';
import { ShardQueues, type Draw } from './shard-queues';

export interface BatchOptions {
  /**
   * A partly filled batch goes once its oldest record has waited this long (slow input, --rate), and, while the
   * shards' pacing holds records back, no more often than this: requests stay large instead of trickling.
   */
  lingerMs: number;
  clock: Clock;
  /**
   * Told, when the consumer stops early (a fatal error), about the entries taken from the source that are in no
   * batch it received: they must be dead-lettered, not lost.
   */
  onUnsent(entries: Entry[]): Promise<void>;
  /** Where records wait for their request: per shard, paced, aggregated. By default one queue, as fast as it goes. */
  queues?: ShardQueues;
}

const TIMED_OUT = Symbol('timed out');

/** Reads a chunked source one chunk ahead at most; a failed read ends it (what was read before still goes). */
class Feed {
  pending: Promise<IteratorResult<Entry[]>> | undefined;
  done = false;
  error: unknown;

  constructor(readonly iterator: AsyncIterator<Entry[]>) {}

  /** Starts reading the next chunk, unless a read is under way. */
  pull(): void {
    if (this.done || this.pending) return;
    this.pending = this.iterator.next();
    this.pending.catch(() => undefined); // awaited in next(); this keeps it from counting as "unhandled" meanwhile
  }

  /** The chunk being read, or TIMED_OUT after `ms` (the read keeps going); undefined once the source has ended. */
  async next(ms: number, clock: Clock): Promise<Entry[] | undefined | typeof TIMED_OUT> {
    const pending = this.pending as Promise<IteratorResult<Entry[]>>;
    const timeout = new AbortController();
    try {
      const next = await Promise.race([pending, ...(Number.isFinite(ms) ? [clock.sleep(ms, timeout.signal).then((): typeof TIMED_OUT => TIMED_OUT)] : [])]);
      if (next === TIMED_OUT) return TIMED_OUT;
      this.pending = undefined;
      if (next.done) this.done = true;
      return next.done ? undefined : next.value;
    } catch (error) {
      [this.pending, this.done, this.error] = [undefined, true, error];
      return undefined;
    } finally {
      timeout.abort();
    }
  }
}

/**
 * PutRecords requests from a chunked source of entries (each already within the 1 MiB record limit): at most
 * 500 records and 5 MiB each, drawn from the queues as each shard's pacing allows; a full one at once, a partly
 * filled one once it has lingered. Reads the source only while the queues are not saturated, so memory stays flat.
 */
export async function* batches(source: AsyncIterable<Entry[]>, options: BatchOptions): AsyncGenerator<PutEntry[]> {
  const { clock, lingerMs } = options;
  const queues = options.queues ?? new ShardQueues();
  const feed = new Feed(source[Symbol.asyncIterator]());
  let lastPartialAt = Number.NEGATIVE_INFINITY;
  let finished = false;
  try {
    for (;;) {
      const now = clock.now();
      const draw = queues.plan();
      const partialDue = partialDueAt(draw, queues, feed, lastPartialAt, now, lingerMs);
      if (draw.planned.length > 0 && (draw.full || now >= partialDue)) {
        if (!draw.full) lastPartialAt = now;
        yield queues.commit(draw);
        continue;
      }
      if (feed.done && queues.records === 0) break;
      if (!queues.saturated) feed.pull();
      const until = draw.planned.length > 0 ? partialDue : now + Math.max(1, draw.waitMs);
      const next = feed.pending ? await feed.next(until - now, clock) : await clock.sleep(until - now);
      if (Array.isArray(next)) queues.push(next, clock.now());
    }
    finished = true;
    if (feed.error !== undefined) throw feed.error;
  } finally {
    if (!finished) await handBackUnsent(queues.drain(), feed, options);
  }
}

/**
 * When a partly filled batch may go. The last records of a source go at once. While more records may come and a shard
 * has sent all it had, the batch waits for them, up to a linger after its oldest record. While pacing holds records
 * back, one partial batch per linger: the tokens of a linger make one request, not one request each.
 */
function partialDueAt(draw: Draw, queues: ShardQueues, feed: Feed, lastPartialAt: number, now: number, lingerMs: number): number {
  if (feed.done && draw.records === queues.records) return now;
  const moreMayCome = !feed.done && !queues.saturated && draw.starved;
  return Math.max(moreMayCome ? (queues.oldestAt ?? now) : Number.NEGATIVE_INFINITY, lastPartialAt) + lingerMs;
}

/** After an early stop: the queued records and the chunk being read go to onUnsent. */
async function handBackUnsent(unsent: Entry[], feed: Feed, options: BatchOptions): Promise<void> {
  const last = await feed.pending?.catch(() => undefined);
  if (last && !last.done) unsent.push(...last.value);
  await feed.iterator.return?.().catch(() => undefined);
  if (unsent.length > 0) await options.onUnsent(unsent);
}
