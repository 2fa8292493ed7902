/**
 * The graphs' memory: one slot per second of the window (15 minutes), reused as time moves on, so a console left
 * open for a week holds exactly as much as one opened a minute ago. `window()` lays the slots out oldest first in
 * arrays that are allocated once and refilled in place, which is what uPlot draws.
 *
 * A sample leaves out a metric that had no datapoint that second, as CloudWatch does. For a sum (records, bytes)
 * that means none: 0. For a maximum (an age) there is nothing to say: a gap. A second with no sample at all (before
 * the lake started, or while the page was cut off) is a gap for every metric.
 */
import type { MetricsSample, PipelineMetric, PipelineMetricId } from '@lakehouse/console-api';

/** A metric of `PIPELINE_METRICS`, its id narrowed to the ids samples carry. */
export type ConsoleMetric = PipelineMetric & { id: PipelineMetricId };

export interface HistoryWindow {
  /** Unix seconds, one per second of the window, oldest first. */
  x: number[];
  /** Per metric, the value of each second of `x`, or null where no sample came. */
  series: Map<PipelineMetricId, Array<number | null>>;
  /** The newest second with a sample, or null before the first. */
  latest: number | null;
}

export class MetricHistory {
  /** The second each slot holds (NaN: none). */
  private readonly seconds: Float64Array;
  private readonly values: Map<PipelineMetricId, Float64Array>;
  private readonly out: HistoryWindow;

  /** `zeroWhenAbsent`: the metrics a sample's silence counts as 0 (sums). */
  constructor(
    readonly capacity: number,
    ids: readonly PipelineMetricId[],
    private readonly zeroWhenAbsent: ReadonlySet<PipelineMetricId> = new Set(),
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.seconds = new Float64Array(capacity).fill(Number.NaN);
    this.values = new Map(ids.map((id) => [id, new Float64Array(capacity).fill(Number.NaN)]));
    this.out = {
      x: new Array<number>(capacity).fill(0),
      series: new Map(ids.map((id) => [id, new Array<number | null>(capacity).fill(null)])),
      latest: null,
    };
  }

  /** Forgets every sample (a reconnect brings a fresh backfill). */
  clear(): void {
    this.seconds.fill(Number.NaN);
    for (const column of this.values.values()) column.fill(Number.NaN);
    this.out.latest = null;
  }

  push(sample: MetricsSample): void {
    const second = Math.floor(sample.at / 1000);
    if (this.out.latest !== null && second <= this.out.latest - this.capacity) return; // older than the window
    const slot = ((second % this.capacity) + this.capacity) % this.capacity;
    this.seconds[slot] = second;
    for (const [id, column] of this.values) {
      const v = sample.values[id];
      column[slot] = typeof v === 'number' && Number.isFinite(v) ? v : this.zeroWhenAbsent.has(id) && v === undefined ? 0 : Number.NaN;
    }
    if (this.out.latest === null || second > this.out.latest) this.out.latest = second;
  }

  /** The value of one metric in the newest sample. */
  latestValue(id: PipelineMetricId): number | null {
    if (this.out.latest === null) return null;
    const slot = this.out.latest % this.capacity;
    const v = this.values.get(id)?.[slot];
    return v === undefined || Number.isNaN(v) ? null : v;
  }

  /**
   * The window ending at `endSecond` (default: the newest sample), refilled in place: the same arrays every call.
   * Seconds before `firstSecond` (the lake's start) are gaps whatever was sent for them.
   */
  window(endSecond: number | null = this.out.latest, firstSecond = -Infinity): HistoryWindow {
    const end = endSecond ?? Math.floor(Date.now() / 1000);
    const start = end - this.capacity + 1;
    const { x, series } = this.out;
    for (let i = 0; i < this.capacity; i++) {
      const second = start + i;
      const slot = ((second % this.capacity) + this.capacity) % this.capacity;
      const held = this.seconds[slot] === second && second >= firstSecond;
      x[i] = second;
      for (const [id, column] of this.values) {
        const v = column[slot] ?? Number.NaN;
        (series.get(id) as Array<number | null>)[i] = held && !Number.isNaN(v) ? v : null;
      }
    }
    return this.out;
  }
}
