/** Clocks for tests: time that moves only as the test says, or by itself without waiting. No wall-clock luck. */
import type { Clock } from './clock';

interface Sleeper {
  until: number;
  wake: () => void;
}

function sleeperList() {
  const sleepers: Sleeper[] = [];
  const add = (until: number, resolve: () => void, signal?: AbortSignal) => {
    const sleeper: Sleeper = { until, wake: resolve };
    if (signal?.aborted) return resolve();
    sleepers.push(sleeper);
    signal?.addEventListener(
      'abort',
      () => {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        resolve();
      },
      { once: true },
    );
  };
  /** Wakes, in time order, every sleeper due by `t`. */
  const wakeUntil = (t: number) => {
    const due = sleepers.filter((s) => s.until <= t).sort((a, b) => a.until - b.until);
    for (const s of due) sleepers.splice(sleepers.indexOf(s), 1);
    for (const s of due) s.wake();
  };
  return { sleepers, add, wakeUntil };
}

/** Virtual time that only the test moves: sleeps resolve when `advance` passes their end. */
export function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let t = 0;
  const list = sleeperList();
  return {
    now: () => t,
    sleep: (ms, signal) => new Promise<void>((resolve) => list.add(t + ms, resolve, signal)),
    async advance(ms) {
      t += ms;
      list.wakeUntil(t);
      await new Promise((r) => setImmediate(r));
    },
  };
}

/**
 * Virtual time that moves by itself: once the code has run what it can (its promises and the I/O that has come in),
 * the clock jumps to the earliest sleep's end and wakes it. Sleeps take no real time, I/O takes no virtual time, and
 * what depends on time happens in the order the times say.
 */
export function virtualClock(): Clock {
  let t = 0;
  let scheduled = false;
  const list = sleeperList();
  const jump = () => {
    scheduled = false;
    const next = Math.min(...list.sleepers.map((s) => s.until));
    if (!Number.isFinite(next)) return;
    t = Math.max(t, next);
    list.wakeUntil(t);
    schedule();
  };
  const schedule = () => {
    if (scheduled || list.sleepers.length === 0) return;
    scheduled = true;
    setImmediate(jump);
  };
  return {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        list.add(t + Math.max(0, ms), resolve, signal);
        schedule();
      }),
  };
}
