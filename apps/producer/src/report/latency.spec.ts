import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency';

describe('LatencyHistogram', () => {
  it('has no percentiles without samples', () => {
    expect(new LatencyHistogram().percentile(50)).toBeUndefined();
  });

  it.each([
    [50, 500],
    [90, 900],
    [99, 990],
    [100, 1000],
  ])('p%i of 1..1000 ms is %i ms within 2%%', (p, expected) => {
    const histogram = new LatencyHistogram();
    for (let ms = 1000; ms >= 1; ms--) histogram.record(ms);
    const value = histogram.percentile(p) ?? 0;
    expect(value).toBeGreaterThanOrEqual(expected);
    expect(value).toBeLessThanOrEqual(expected * 1.02);
  });

  it('keeps tiny and huge latencies in its end buckets', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0.001);
    histogram.record(10_000_000);
    expect(histogram.count).toBe(2);
    expect(histogram.percentile(50)).toBeCloseTo(0.1);
    expect(histogram.percentile(100)).toBeGreaterThan(600_000);
  });
});
