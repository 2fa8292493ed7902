/** How failed entries are retried: exponential backoff with full jitter, within a total time per record. */
export interface RetryPolicy {
  /** The first retry waits up to this long. */
  baseDelayMs: number;
  /** No single wait is longer than this. */
  maxDelayMs: number;
  /** A record that is still not accepted this long after its first attempt is dead-lettered. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 5_000, budgetMs: 30_000 };

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform wait between 0 and
 * min(max, base * 2^(attempt-1)), so clients throttled together don't retry together.
 * `attempt` counts retries from 1; `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Whether a retry waiting `delayMs` from `now` still starts within the budget of a record first tried at `firstAttemptAt`. */
export function withinBudget(firstAttemptAt: number, now: number, delayMs: number, policy: RetryPolicy): boolean {
  return now + delayMs - firstAttemptAt <= policy.budgetMs;
}
