import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Clock } from '@lakehouse/runtime';
import { manualClock } from '@lakehouse/runtime/testing';
import { msUntilDue, paced, recordsDue, until } from './pacing';

describe('recordsDue: record k goes at k / rate seconds', () => {
  it.each([
    // elapsed ms, rate, taken, due
    [0, 100, 0, 1],
    [9, 100, 1, 0],
    [10, 100, 1, 1],
    [1000, 100, 0, 101],
    [1000, 100, 101, 0],
    [1, 10_000, 0, 11],
    [500, 0.5, 1, 0],
    [2000, 0.5, 1, 1],
  ])('after %i ms at %f/s with %i taken: %i due', (elapsed, rate, taken, due) => {
    expect(recordsDue(elapsed, rate, taken)).toBe(due);
  });

  it.each([
    [0, 100, 1, 10],
    [4, 100, 1, 6],
    [25, 100, 2, 0],
    [0, 0.5, 1, 2000],
  ])('after %i ms at %f/s with %i taken: next in %f ms', (elapsed, rate, taken, wait) => {
    expect(msUntilDue(elapsed, rate, taken)).toBe(wait);
  });
});

/** Virtual time: sleeping advances the clock instantly. */
function fakeClock(): Clock & { t: number } {
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
}

async function* chunks(count: number, size: number): AsyncGenerator<number[]> {
  for (let c = 0; c < count; c++) yield Array.from({ length: size }, (_, i) => c * size + i);
}

describe('paced: a smooth rate, not bursts', () => {
  it.each([
    [100, 2, 500],
    [1_000, 4, 500],
    [37, 1, 80],
  ])('at %i/s, %i chunks of %i: no record early, none late, in order', async (rate, count, size) => {
    const clock = fakeClock();
    const seen: Array<{ item: number; at: number }> = [];
    for await (const slice of paced(chunks(count, size), rate, clock)) for (const item of slice) seen.push({ item, at: clock.t });
    expect(seen.map((s) => s.item)).toEqual(Array.from({ length: count * size }, (_, i) => i));
    for (const { item, at } of seen) {
      expect(at).toBeGreaterThanOrEqual((item * 1000) / rate - 1e-9); // never early
      expect(at).toBeLessThan((item * 1000) / rate + 1 + 1000 / rate); // late by at most one timer tick and one gap
    }
  });

  it('releases a second of records evenly across the second', async () => {
    const clock = fakeClock();
    const perTenth = new Array(10).fill(0);
    for await (const slice of paced(chunks(1, 500), 500, clock)) {
      if (clock.t < 1000) perTenth[Math.floor(clock.t / 100)] += slice.length;
    }
    for (const n of perTenth) expect(n).toBeGreaterThanOrEqual(49);
    for (const n of perTenth) expect(n).toBeLessThanOrEqual(51);
  });
});

describe('until: --duration and Ctrl-C end the stream', () => {
  /** An endless source that yields an item every 5 ms of the clock's time. */
  async function* endless(clock: Clock): AsyncGenerator<number[]> {
    for (let i = 0; ; i++) {
      await clock.sleep(5);
      yield [i];
    }
  }
  async function* silent(): AsyncGenerator<number[]> {
    await new Promise(() => undefined); // stdin with nothing coming
    yield [];
  }

  it('stops an endless source at the deadline, not before', async () => {
    const clock = manualClock();
    let items = 0;
    let ended = false;
    const run = (async () => {
      for await (const chunk of until(endless(clock), { durationMs: 150 }, clock)) items += chunk.length;
      ended = true;
    })();
    for (let t = 5; t < 150; t += 5) await clock.advance(5);
    expect(ended).toBe(false);
    expect(items).toBe(29);
    await clock.advance(5);
    await run;
    expect(ended).toBe(true);
    expect(clock.now()).toBe(150);
  });

  it('stops a source waiting for input at the deadline', async () => {
    const clock = manualClock();
    let ended = false;
    const run = (async () => {
      for await (const _ of until(silent(), { durationMs: 50 }, clock)) throw new Error('nothing should come');
      ended = true;
    })();
    await clock.advance(49);
    expect(ended).toBe(false);
    await clock.advance(1);
    await run;
    expect(ended).toBe(true);
  });

  it('stops when the signal aborts, and closes the source', async () => {
    const stop = new AbortController();
    let closed = false;
    async function* source(): AsyncGenerator<number[]> {
      try {
        for (let i = 0; ; i++) yield [i];
      } finally {
        closed = true;
      }
    }
    let taken = 0;
    for await (const _ of until(source(), { signal: stop.signal })) if (++taken === 10) stop.abort();
    expect(taken).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('until: memory', () => {
  it('holds no chunk it has passed on, so memory stays flat however long the run', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const passed: Array<WeakRef<object>> = [];
    async function* source(): AsyncGenerator<Array<{ payload: string }>> {
      for (;;) {
        const chunk = [{ payload: 'x'.repeat(1000) }];
        passed.push(new WeakRef(chunk));
        yield chunk;
      }
    }
    let alive = -1;
    for await (const _ of until(source(), { durationMs: 60_000 })) {
      if (passed.length < 300) continue;
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      alive = passed.slice(0, 290).filter((ref) => ref.deref() !== undefined).length;
      break;
    }
    expect(alive).toBe(0);
  });
});
