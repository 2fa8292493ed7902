import { describe, expect, it } from 'vitest';
import type { Outcome } from '../outcome';
import { Tally } from './tally';

/** Every count of a tally, as plain data. */
function countsOf(tally: Tally) {
  const { requested, sent, rejected, deadLettered, retried, kinesisRecords, throttled, resent, shardMapRefreshes } = tally;
  return {
    requested,
    sent,
    rejected,
    deadLettered,
    retried,
    kinesisRecords,
    throttled,
    resent,
    shardMapRefreshes,
    errors: Object.fromEntries(tally.errors),
    putRecordsCalls: tally.latency.count,
  };
}

const NOTHING = countsOf(new Tally());

// One row per kind of outcome (the type makes a missing one a compile error): what it changes; everything else stays 0.
const CHANGES: { [K in Outcome['kind']]: [Extract<Outcome, { kind: K }>, Partial<ReturnType<typeof countsOf>>] } = {
  requested: [{ kind: 'requested', records: 500 }, { requested: 500 }],
  rejected: [
    { kind: 'rejected', records: 1 },
    { requested: 1, rejected: 1 },
  ],
  printed: [
    { kind: 'printed', records: 3 },
    { requested: 3, sent: 3 },
  ],
  sent: [
    { kind: 'sent', records: 40, kinesisRecords: 2 },
    { sent: 40, kinesisRecords: 2 },
  ],
  retried: [{ kind: 'retried', records: 7 }, { retried: 7 }],
  throttled: [{ kind: 'throttled', entries: 4 }, { throttled: 4 }],
  resent: [{ kind: 'resent', records: 9 }, { resent: 9 }],
  'dead-lettered': [{ kind: 'dead-lettered', records: 5 }, { deadLettered: 5 }],
  error: [{ kind: 'error', code: 'InternalFailure', entries: 6 }, { errors: { InternalFailure: 6 } }],
  answered: [{ kind: 'answered', ms: 12 }, { putRecordsCalls: 1 }],
  'shard-map-refreshed': [{ kind: 'shard-map-refreshed' }, { shardMapRefreshes: 1 }],
};

describe('Tally.count: each outcome changes its own counts and no others', () => {
  it.each(Object.entries(CHANGES))('%s', (_kind, [outcome, changes]) => {
    const tally = new Tally();
    tally.count(outcome);
    expect(countsOf(tally)).toEqual({ ...NOTHING, ...changes });
  });

  it('adds up errors by code, and latencies into the PutRecords histogram', () => {
    const tally = new Tally();
    for (const outcome of [
      { kind: 'error', code: 'ProvisionedThroughputExceededException', entries: 3 },
      { kind: 'error', code: 'ECONNRESET', entries: 500 },
      { kind: 'error', code: 'ProvisionedThroughputExceededException', entries: 1 },
      { kind: 'answered', ms: 10 },
      { kind: 'answered', ms: 30 },
    ] satisfies Outcome[]) {
      tally.count(outcome);
    }
    expect(countsOf(tally).errors).toEqual({ ProvisionedThroughputExceededException: 4, ECONNRESET: 500 });
    expect(tally.latency.count).toBe(2);
    expect(tally.latency.percentile(100)).toBeCloseTo(30.6, 1); // 30 ms, as the upper bound of its 2%-wide bucket
  });

  it('a run whose records are all accounted for: requested = sent + rejected + dead-lettered', () => {
    const tally = new Tally();
    const run: Outcome[] = [
      { kind: 'rejected', records: 2 },
      { kind: 'requested', records: 10 },
      { kind: 'sent', records: 6, kinesisRecords: 6 },
      { kind: 'retried', records: 4 },
      { kind: 'sent', records: 1, kinesisRecords: 1 },
      { kind: 'dead-lettered', records: 3 },
    ];
    for (const outcome of run) tally.count(outcome);
    expect([tally.requested, tally.sent, tally.rejected, tally.deadLettered]).toEqual([12, 7, 2, 3]);
    expect(tally.sent + tally.rejected + tally.deadLettered).toBe(tally.requested);
  });
});
