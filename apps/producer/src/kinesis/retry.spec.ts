import { describe, expect, it } from 'vitest';
import { backoffDelay, withinBudget, type RetryPolicy } from './retry';

const policy: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 30_000 };

describe('backoffDelay: exponential, capped, fully jittered', () => {
  it.each([
    // attempt, random draw, delay
    [1, 0, 0],
    [1, 0.5, 50],
    [1, 0.999, 99],
    [2, 0.5, 100],
    [3, 0.5, 200],
    [6, 0.999, 3196],
    [7, 0.999, 4995], // 6,400 capped to 5,000
    [30, 0.5, 2500], // far past the cap: still the cap
  ])('attempt %i with draw %f waits %i ms', (attempt, draw, delay) => {
    expect(backoffDelay(attempt, policy, () => draw)).toBe(delay);
  });

  it('spreads retries over the whole window, not around its middle', () => {
    const delays = Array.from({ length: 4000 }, () => backoffDelay(4, policy));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(800);
    // uniform on [0, 800): each quarter holds about a quarter of the draws
    for (let q = 0; q < 4; q++) {
      const share = delays.filter((d) => d >= q * 200 && d < (q + 1) * 200).length / delays.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
  });
});

describe('withinBudget: a record is retried only within its total time', () => {
  it.each([
    // first attempt at, now, delay, allowed
    [0, 0, 100, true],
    [0, 29_000, 1_000, true],
    [0, 29_000, 1_001, false],
    [1_000, 30_500, 500, true],
    [1_000, 30_500, 600, false],
  ])('first at %i, now %i, waiting %i -> %s', (first, now, delay, allowed) => {
    expect(withinBudget(first, now, delay, policy)).toBe(allowed);
  });
});
