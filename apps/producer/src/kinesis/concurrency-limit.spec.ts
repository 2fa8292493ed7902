import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('never runs more than its limit, starts each task once a slot frees, and waits for all at idle()', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const releases: Array<() => void> = [];
    const task = (id: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      done.push(id);
    };
    for (const id of [1, 2]) {
      await limit.whenFree();
      limit.start(task(id));
    }
    let thirdStarted = false;
    const third = limit.whenFree().then(() => {
      thirdStarted = true;
      limit.start(task(3));
    });
    await new Promise((r) => setImmediate(r));
    expect(thirdStarted).toBe(false);
    releases.shift()?.();
    await third;
    expect(thirdStarted).toBe(true);
    const idle = limit.idle();
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await idle;
    expect(done.sort()).toEqual([1, 2, 3]);
    expect(most).toBe(2);
  });
});
