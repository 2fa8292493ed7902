import { describe, expect, it } from 'vitest';
import { EXIT } from '@lakehouse/runtime';
import { validate } from '@lakehouse/schema';
import { MAX_EVENT_TIME_SPREAD_MS, parseEventTimeSpread, withEventTimeSpread } from './event-time-spread';
import { createRecordGenerator } from './source/generate';

const NOW = Date.parse('2026-11-21T00:01:30.000Z');
const HOUR = 3_600_000;

describe('parseEventTimeSpread', () => {
  it.each([
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['3h', 3 * HOUR],
    ['2d', 48 * HOUR],
    ['1.5d', 36 * HOUR],
    ['366d', MAX_EVENT_TIME_SPREAD_MS],
  ])('%s is %d ms', (text, ms) => {
    expect(parseEventTimeSpread('event-time-spread', text)).toBe(ms);
  });

  it.each(['3', '0h', '-2d', '367d', '2 days', '1w', ''])('refuses %j in one line, a usage error', (text) => {
    expect(() => parseEventTimeSpread('event-time-spread', text)).toThrow(
      expect.objectContaining({
        message: `--event-time-spread: expected a time into the past like 90s, 45m, 3h or 2d, up to 366d, got "${text}"`,
        exitCode: EXIT.usage,
      }),
    );
  });
});

describe('withEventTimeSpread', () => {
  const spread = (seed: number | undefined, spreadMs: number, n: number) => {
    const generate = withEventTimeSpread(createRecordGenerator(seed === undefined ? {} : { seed, now: () => NOW }), {
      spreadMs,
      ...(seed === undefined ? {} : { seed }),
      now: () => NOW,
    });
    return Array.from({ length: n }, generate);
  };

  it('puts every event_date in the last DURATION, valid for the schema, and covers the whole span evenly', () => {
    const records = spread(3, 48 * HOUR, 4_800);
    const offsets = records.map((r) => NOW - Date.parse(r.event_date));
    for (const r of records) expect(validate(r).ok).toBe(true);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(48 * HOUR);
    // 48 hour folders, ~100 records each: uniform within a generous band, none empty.
    const perHour = new Map<number, number>();
    for (const o of offsets) perHour.set(Math.floor(o / HOUR), (perHour.get(Math.floor(o / HOUR)) ?? 0) + 1);
    expect(perHour.size).toBe(48);
    for (const count of perHour.values()) expect(count).toBeGreaterThan(50);
    for (const count of perHour.values()) expect(count).toBeLessThan(150);
  });

  it('repeats with --seed, and changes only event_date', () => {
    expect(spread(7, 3 * HOUR, 200)).toEqual(spread(7, 3 * HOUR, 200));
    expect(spread(7, 3 * HOUR, 50).map((r) => r.event_date)).not.toEqual(spread(8, 3 * HOUR, 50).map((r) => r.event_date));
    const plain = Array.from({ length: 200 }, createRecordGenerator({ seed: 7, now: () => NOW }));
    expect(spread(7, 3 * HOUR, 200).map((r) => ({ ...r, event_date: '' }))).toEqual(plain.map((r) => ({ ...r, event_date: '' })));
  });

  it('differs run to run without a seed', () => {
    expect(spread(undefined, 30 * 86_400_000, 20).map((r) => r.event_date)).not.toEqual(spread(undefined, 30 * 86_400_000, 20).map((r) => r.event_date));
  });
});
