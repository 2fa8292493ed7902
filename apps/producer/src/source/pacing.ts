import { systemClock, type Clock } from '@lakehouse/runtime';

/**
 * How many more records a steady `rate` (records/s) allows `elapsedMs` after the start, `taken` having gone:
 * record k (from 0) is due at k / rate seconds, so the first goes at once and none ever go early.
 */
export function recordsDue(elapsedMs: number, rate: number, taken: number): number {
  return Math.max(0, Math.floor((elapsedMs * rate) / 1000) + 1 - taken);
}

/** Milliseconds until the next record (number `taken`, from 0) is due. */
export function msUntilDue(elapsedMs: number, rate: number, taken: number): number {
  return Math.max(0, (taken * 1000) / rate - elapsedMs);
}

/**
 * Releases a chunked stream of items at a smooth `rate` per second: each slice holds the items due by now,
 * so at 200/s the sender sees a few records every few milliseconds, never a second's worth at once.
 */
export async function* paced<T>(source: AsyncIterable<T[]>, rate: number, clock: Clock = systemClock): AsyncGenerator<T[]> {
  const start = clock.now();
  let taken = 0;
  for await (const chunk of source) {
    let at = 0;
    while (at < chunk.length) {
      const elapsed = clock.now() - start;
      const due = recordsDue(elapsed, rate, taken);
      if (due === 0) {
        // Timers fire no sooner than 1 ms: sleeping at least that long keeps the loop from spinning.
        await clock.sleep(Math.max(1, msUntilDue(elapsed, rate, taken)));
        continue;
      }
      const slice = chunk.slice(at, at + due);
      at += slice.length;
      taken += slice.length;
      yield slice;
    }
  }
}

/** Why a stream was cut short: the caller stores it to say so in the summary. */
export interface Stop {
  /** Ends the stream this long after it starts, even while the source waits for input. */
  durationMs?: number;
  /** Ends the stream when aborted (Ctrl-C, a closed stdout, a fatal delivery error). */
  signal?: AbortSignal;
}

const STOPPED = Symbol('stopped');

/**
 * Passes chunks through until the deadline or the signal, whichever comes first,
 * then closes the source (so a generator's finally runs and a file is closed).
 */
export async function* until<T>(source: AsyncIterable<T[]>, stop: Stop, clock: Clock = systemClock): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let stopped = false;
  // Wakes the current wait only: racing every chunk against one long-lived "stopped" promise would
  // keep each chunk reachable from that promise's reactions, and memory would grow with the run.
  let wake: (() => void) | undefined;
  const halt = () => {
    stopped = true;
    wake?.();
  };
  if (stop.signal?.aborted) halt();
  stop.signal?.addEventListener('abort', halt, { once: true });
  const timer = new AbortController();
  if (stop.durationMs !== undefined) {
    void clock.sleep(stop.durationMs, timer.signal).then(() => {
      if (!timer.signal.aborted) halt();
    });
  }
  try {
    while (!stopped) {
      const next = await new Promise<IteratorResult<T[]> | typeof STOPPED>((resolve, reject) => {
        wake = () => resolve(STOPPED);
        iterator.next().then(resolve, reject);
      });
      wake = undefined;
      if (next === STOPPED || next.done || stopped) return;
      yield next.value;
    }
  } finally {
    timer.abort();
    stop.signal?.removeEventListener('abort', halt);
    // Don't wait for a source blocked on input (stdin) to close itself.
    iterator.return?.().catch(() => undefined);
  }
}
