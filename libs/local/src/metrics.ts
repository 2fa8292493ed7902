import type { BufferState } from '@lakehouse/firehose';
import type { MetricsSample, PipelineMetricId, PipelineState } from '@lakehouse/console-api';

/** Seconds of history kept: CloudWatch's 1-second resolution over the last 15 minutes. */
export const HISTORY_SECONDS = 900;

interface Slot {
  /** The epoch second this slot holds, or -1 when unused. */
  second: number;
  values: Partial<Record<PipelineMetricId, number>>;
}

/**
 * The local twins of the pipeline's CloudWatch metrics, per second over the last 15 minutes, and totals since
 * start. A ring of 900 one-second slots: memory stays the same however long the lake runs.
 * Counts and bytes add up within a second; ages (iterator age, data freshness) and buffer sizes keep their maximum.
 */
export class PipelineMetrics {
  private readonly slots: Slot[] = Array.from({ length: HISTORY_SECONDS }, () => ({ second: -1, values: {} }));
  readonly startedAt: number;
  readonly totals = { incomingRecords: 0, incomingBytes: 0, deliveredRecords: 0, deliveredBytes: 0, failedRecords: 0, dataObjects: 0, errorObjects: 0 };

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** Records read from a shard: they came into the stream at their arrival time; the newest one sets the iterator age. */
  read(records: ReadonlyArray<{ arrivalMillis: number; data: Uint8Array }>): void {
    const now = this.now();
    let newest = Number.NEGATIVE_INFINITY;
    for (const { arrivalMillis, data } of records) {
      const bytes = data.byteLength;
      this.add(arrivalMillis, 'incomingRecords', 1);
      this.add(arrivalMillis, 'incomingBytes', bytes);
      this.totals.incomingRecords++;
      this.totals.incomingBytes += bytes;
      newest = Math.max(newest, arrivalMillis);
    }
    if (records.length > 0) this.max(now, 'iteratorAge', Math.max(0, now - newest));
  }

  /** A read came back empty: the consumer is at the tip, which CloudWatch shows as an iterator age of 0, not as no data. */
  caughtUp(): void {
    this.max(this.now(), 'iteratorAge', 0);
  }

  /** An object landed in the bucket: a Parquet object of converted records, or an error object of failed ones. */
  delivered(object: { kind: 'data' | 'error'; records: number; bytes: number }): void {
    const now = this.now();
    if (object.kind === 'data') {
      this.add(now, 'deliveredRecords', object.records);
      this.add(now, 'convertedRecords', object.records);
      this.totals.deliveredRecords += object.records;
      this.totals.dataObjects++;
    } else {
      this.add(now, 'failedRecords', object.records);
      this.totals.failedRecords += object.records;
      this.totals.errorObjects++;
    }
    this.add(now, 'deliveredBytes', object.bytes);
    this.totals.deliveredBytes += object.bytes;
  }

  /** The buffer as it is now: its size, and how long its oldest record has waited (Firehose's DataFreshness). */
  observeBuffer(buffer: BufferState): void {
    const now = this.now();
    this.max(now, 'bufferedRecords', buffer.records);
    this.max(now, 'bufferedBytes', buffer.bytes);
    if (buffer.openedAtMillis !== undefined) this.max(now, 'dataFreshness', Math.max(0, Math.floor((now - buffer.openedAtMillis) / 1000)));
  }

  /**
   * Dynamic partitioning now (event time only): the active partitions, and 1 while records go past the limit to the
   * error output (Firehose's PartitionCount and PartitionCountExceeded, both the maximum of the second).
   */
  observePartitions(state: { active: number; exceeding: boolean }): void {
    const now = this.now();
    this.max(now, 'partitionCount', state.active);
    this.max(now, 'partitionCountExceeded', state.exceeding ? 1 : 0);
  }

  /** One jq call over a page of records took this long (Firehose's JQProcessing.Duration, the maximum of the second). */
  jqProcessed(durationMillis: number): void {
    this.max(this.now(), 'jqDuration', Math.round(durationMillis));
  }

  /** The sample of one second (empty values for a second nothing happened in). */
  sample(second: number): MetricsSample {
    const slot = this.slots[second % HISTORY_SECONDS] as Slot;
    return { at: second * 1000, values: slot.second === second ? { ...slot.values } : {} };
  }

  /** Every second of the last 15 minutes up to `untilSecond` (the last complete one), oldest first. */
  history(untilSecond: number): MetricsSample[] {
    return Array.from({ length: HISTORY_SECONDS }, (_, i) => this.sample(untilSecond - HISTORY_SECONDS + 1 + i));
  }

  /** Totals and the buffer, for the pipeline view. */
  state(buffer: BufferState & { intervalMillis: number }, catalogTables: number): PipelineState {
    const { totals } = this;
    return {
      at: this.now(),
      startedAt: this.startedAt,
      totals: { ...totals },
      buffer: {
        records: buffer.records,
        bytes: buffer.bytes,
        nextDeliveryAt: buffer.openedAtMillis === undefined ? null : buffer.openedAtMillis + buffer.intervalMillis,
      },
      flow: {
        stream: { records: totals.incomingRecords },
        delivery: { buffered: buffer.records, delivered: totals.deliveredRecords, failed: totals.failedRecords },
        bucket: { dataObjects: totals.dataObjects, errorObjects: totals.errorObjects },
        catalog: { tables: catalogTables },
      },
    };
  }

  private slotAt(millis: number): Slot | undefined {
    const second = Math.floor(millis / 1000);
    if (second <= Math.floor(this.now() / 1000) - HISTORY_SECONDS) return undefined; // older than the history
    const slot = this.slots[second % HISTORY_SECONDS] as Slot;
    if (slot.second !== second) {
      slot.second = second;
      slot.values = {};
    }
    return slot;
  }

  private add(millis: number, id: PipelineMetricId, value: number): void {
    const slot = this.slotAt(millis);
    if (slot) slot.values[id] = (slot.values[id] ?? 0) + value;
  }

  private max(millis: number, id: PipelineMetricId, value: number): void {
    const slot = this.slotAt(millis);
    if (slot) slot.values[id] = Math.max(slot.values[id] ?? 0, value);
  }
}
