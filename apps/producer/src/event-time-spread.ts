import type { EventRecord } from '@lakehouse/schema';
import { seededRandom, usageError } from '@lakehouse/runtime';

/**
 * `--event-time-spread`: generated records get event_date values spread uniformly over the last DURATION instead of
 * the send time, so late data (a phone offline for hours, a backfill of last week) can be shown and tested against
 * event-time partitioning.
 */

/** One year and a day: older events would fall before the Glue projection's first year (libs/pipeline TIME_PARTITIONS). */
export const MAX_EVENT_TIME_SPREAD_MS = 366 * 86_400_000;

const SPREAD = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `45m`, `3h`, `2d`, `1.5d`: how far into the past event times reach, up to 366 days, to the millisecond. */
export function parseEventTimeSpread(flag: string, text: string): number {
  const match = SPREAD.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0)) : 0;
  if (!(ms > 0 && ms <= MAX_EVENT_TIME_SPREAD_MS)) {
    throw usageError(`--${flag}: expected a time into the past like 90s, 45m, 3h or 2d, up to 366d, got "${text}"`);
  }
  return ms;
}

export interface SpreadOptions {
  spreadMs: number;
  /** With a seed the offsets repeat run after run (from their own sequence: every other field stays as without the flag). */
  seed?: number;
  /** Epoch milliseconds of "now"; the current time by default. */
  now?: () => number;
}

/**
 * The generator's records with event_date moved back by a uniform offset in [0, spread): each event happened at most
 * `spread` before it is made. Only event_date changes, still `toISOString()`'s UTC with milliseconds and a Z.
 */
export function withEventTimeSpread(generate: () => EventRecord, { spreadMs, seed, now = Date.now }: SpreadOptions): () => EventRecord {
  const random = seed === undefined ? Math.random : seededRandom(seed);
  return () => {
    const record = generate();
    record.event_date = new Date(now() - Math.floor(random() * spreadMs)).toISOString();
    return record;
  };
}
