import { describe, expect, it } from 'vitest';
import { HISTORY_SECONDS, PipelineMetrics } from './metrics';

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const bytes = (n: number) => new Uint8Array(n);

function metricsAt(start = T0) {
  const clock = { now: start };
  return { clock, metrics: new PipelineMetrics(() => clock.now) };
}

describe('PipelineMetrics: the CloudWatch twins, per second', () => {
  it('counts records and bytes in the second they arrived in the stream, not when they were read', () => {
    const { clock, metrics } = metricsAt(T0 + 5_300);
    metrics.read([
      { arrivalMillis: T0 + 3_100, data: bytes(100) },
      { arrivalMillis: T0 + 3_900, data: bytes(50) },
      { arrivalMillis: T0 + 4_000, data: bytes(10) },
    ]);
    expect(metrics.sample(T0 / 1000 + 3).values).toEqual({ incomingRecords: 2, incomingBytes: 150 });
    expect(metrics.sample(T0 / 1000 + 4).values).toMatchObject({ incomingRecords: 1, incomingBytes: 10 });
    // The iterator age is the reader's, at the second it read: now minus the newest record's arrival.
    expect(metrics.sample(T0 / 1000 + 5).values).toEqual({ iteratorAge: 1_300 });
    clock.now += 1_000;
    expect(metrics.totals).toMatchObject({ incomingRecords: 3, incomingBytes: 160 });
  });

  it('shows a reader at the tip as iterator age 0, as CloudWatch does, while a late read in that second keeps its maximum', () => {
    const { clock, metrics } = metricsAt(T0);
    metrics.caughtUp();
    expect(metrics.sample(T0 / 1000).values).toEqual({ iteratorAge: 0 });
    clock.now += 1_000;
    metrics.read([{ arrivalMillis: T0 + 200, data: bytes(1) }]);
    metrics.caughtUp();
    expect(metrics.sample(T0 / 1000 + 1).values).toEqual({ iteratorAge: 800 });
  });

  it('keeps dynamic partitioning’s metrics as Firehose does: the most active partitions, limit exceeded 1/0, the longest jq call', () => {
    const { clock, metrics } = metricsAt();
    metrics.observePartitions({ active: 24, exceeding: false });
    metrics.observePartitions({ active: 500, exceeding: true });
    metrics.observePartitions({ active: 3, exceeding: false });
    metrics.jqProcessed(12.4);
    metrics.jqProcessed(40.6);
    expect(metrics.sample(T0 / 1000).values).toEqual({ partitionCount: 500, partitionCountExceeded: 1, jqDuration: 41 });
    clock.now += 1_000;
    metrics.observePartitions({ active: 0, exceeding: false });
    expect(metrics.sample(T0 / 1000 + 1).values).toEqual({ partitionCount: 0, partitionCountExceeded: 0 });
  });

  it('keeps the maximum of ages and buffer sizes within a second, and sums deliveries', () => {
    const { clock, metrics } = metricsAt();
    metrics.observeBuffer({ records: 10, bytes: 1_000, openedAtMillis: T0 - 4_000 });
    metrics.observeBuffer({ records: 4, bytes: 400, openedAtMillis: T0 - 9_000 });
    metrics.delivered({ kind: 'data', records: 7, bytes: 700 });
    metrics.delivered({ kind: 'data', records: 3, bytes: 300 });
    metrics.delivered({ kind: 'error', records: 2, bytes: 90 });
    expect(metrics.sample(T0 / 1000).values).toEqual({
      bufferedRecords: 10,
      bufferedBytes: 1_000,
      dataFreshness: 9,
      deliveredRecords: 10,
      convertedRecords: 10,
      failedRecords: 2,
      deliveredBytes: 1_090,
    });
    clock.now += 2_000;
    expect(metrics.totals).toEqual({
      incomingRecords: 0,
      incomingBytes: 0,
      deliveredRecords: 10,
      deliveredBytes: 1_090,
      failedRecords: 2,
      dataObjects: 2,
      errorObjects: 1,
    });
  });

  it('holds 15 minutes: an older second reads as empty, and memory stays the same however long it runs', () => {
    const { clock, metrics } = metricsAt();
    metrics.delivered({ kind: 'data', records: 1, bytes: 1 });
    clock.now += (HISTORY_SECONDS - 1) * 1_000;
    expect(metrics.sample(T0 / 1000).values).toEqual({ deliveredRecords: 1, convertedRecords: 1, deliveredBytes: 1 });
    clock.now += 1_000;
    metrics.delivered({ kind: 'data', records: 5, bytes: 5 }); // lands in the slot the first second held
    expect(metrics.sample(T0 / 1000).values).toEqual({});
    expect(metrics.sample(T0 / 1000 + HISTORY_SECONDS).values).toMatchObject({ deliveredRecords: 5 });
    // A record that arrived before the history began counts in the totals only.
    metrics.read([{ arrivalMillis: T0 - 1_000, data: bytes(1) }]);
    expect(metrics.totals.incomingRecords).toBe(1);
    expect(metrics.history(T0 / 1000 + HISTORY_SECONDS).flatMap((s) => (s.values.incomingRecords ? [s] : []))).toEqual([]);
  });

  it('gives the history oldest first, one sample a second, ending at the second asked for', () => {
    const { metrics } = metricsAt(T0 + 10_000);
    const history = metrics.history(T0 / 1000 + 9);
    expect(history).toHaveLength(HISTORY_SECONDS);
    expect(history.at(-1)?.at).toBe(T0 + 9_000);
    expect(history.every((s, i) => i === 0 || s.at - (history[i - 1]?.at ?? 0) === 1_000)).toBe(true);
  });

  it('states the pipeline: totals, the buffer and when it is due, a count on each step', () => {
    const { metrics } = metricsAt();
    metrics.read([{ arrivalMillis: T0, data: bytes(20) }]);
    const state = metrics.state({ records: 1, bytes: 20, openedAtMillis: T0, intervalMillis: 10_000 }, 1);
    expect(state.buffer).toEqual({ records: 1, bytes: 20, nextDeliveryAt: T0 + 10_000 });
    expect(state.flow).toEqual({
      stream: { records: 1 },
      delivery: { buffered: 1, delivered: 0, failed: 0 },
      bucket: { dataObjects: 0, errorObjects: 0 },
      catalog: { tables: 1 },
    });
    expect(metrics.state({ records: 0, bytes: 0, openedAtMillis: undefined, intervalMillis: 10_000 }, 1).buffer.nextDeliveryAt).toBeNull();
  });
});
