/**
 * Latency percentiles in constant memory: logarithmic buckets 2% wide from 0.1 ms to about 10 minutes,
 * so an hour-long run keeps the same few kilobytes as a ten-record one.
 */
export class LatencyHistogram {
  private static readonly MIN_MS = 0.1;
  private static readonly GROWTH = Math.log(1.02);
  private readonly buckets = new Uint32Array(800);
  count = 0;

  record(ms: number): void {
    const index = ms <= LatencyHistogram.MIN_MS ? 0 : Math.ceil(Math.log(ms / LatencyHistogram.MIN_MS) / LatencyHistogram.GROWTH);
    const bucket = Math.min(index, this.buckets.length - 1);
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    this.count++;
  }

  /** The upper bound of the bucket holding the p-th percentile (0 < p <= 100), within 2%; undefined with no samples. */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) return LatencyHistogram.MIN_MS * Math.exp(i * LatencyHistogram.GROWTH);
    }
    return undefined;
  }
}
