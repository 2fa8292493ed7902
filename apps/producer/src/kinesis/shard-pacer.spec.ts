import { describe, expect, it } from 'vitest';
import { manualClock } from '@lakehouse/runtime/testing';
import { ADAPTATION, ShardPacer } from './shard-pacer';

const LIMITS = { recordsPerSecond: 1_000, bytesPerSecond: 100_000 };
const S = 'shardId-000000000000';

function pacer() {
  const clock = manualClock();
  return { clock, pacer: new ShardPacer(LIMITS, clock) };
}

describe('ShardPacer: token buckets per shard, records and bytes', () => {
  it('starts each shard with one second of its limits, and refills at the limits, never past a second', async () => {
    const { clock, pacer: p } = pacer();
    expect(p.allowance(S)).toEqual({ records: 1_000, bytes: 100_000, full: true });
    p.take(S, 1_000, 50_000);
    p.answered(S, 1_000, 50_000);
    expect(p.allowance(S)).toEqual({ records: 0, bytes: 50_000, full: false });
    await clock.advance(250);
    expect(p.allowance(S)).toEqual({ records: 250, bytes: 75_000, full: false });
    await clock.advance(5_000);
    expect(p.allowance(S)).toEqual({ records: 1_000, bytes: 100_000, full: true });
  });

  it('holds what a request took from an idle shard until it is answered: Kinesis takes tokens when a request arrives', async () => {
    const { clock, pacer: p } = pacer();
    expect(p.take(S, 600, 1_000)).toBe(true);
    await clock.advance(1_000);
    // A second has passed, but 600 records are still in flight: at most 1,000 - 600 may be taken besides.
    expect(p.allowance(S).records).toBe(400);
    p.answered(S, 600, 1_000);
    await clock.advance(100);
    expect(p.allowance(S).records).toBe(500);
  });

  it('holds nothing a busy shard takes: its buckets, and Kinesis’, are low and refill all the while', async () => {
    const { clock, pacer: p } = pacer();
    p.take(S, 900, 0);
    expect(p.take(S, 100, 0)).toBe(false); // 100 left: not idle
    await clock.advance(1_000);
    expect(p.allowance(S).records).toBe(1_000 - 900); // only the first, taken from a full bucket, is held
  });

  it('paces by whichever limit is nearer: bytes for large records', async () => {
    const { clock, pacer: p } = pacer();
    p.take(S, 10, 100_000);
    p.answered(S, 10, 100_000);
    expect(p.msUntil(S, { records: 1, bytes: 5_000 })).toBe(50);
    expect(p.msUntil(S, { records: 1, bytes: 0 })).toBe(0);
    await clock.advance(50);
    expect(p.msUntil(S, { records: 1, bytes: 5_000 })).toBe(0);
  });

  it('lets a need larger than a second of the limits go on full buckets', async () => {
    const { clock, pacer: p } = pacer();
    expect(p.msUntil(S, { records: 1, bytes: 250_000 })).toBe(0);
    p.take(S, 1, 250_000);
    p.answered(S, 1, 250_000);
    expect(p.msUntil(S, { records: 1, bytes: 250_000 })).toBe(2_500); // back from -150,000 to 100,000 (full)
    await clock.advance(2_500);
    expect(p.allowance(S).full).toBe(true);
  });
});

describe('ShardPacer: retries wait for their shards, within their deadline', () => {
  it('waits until every shard has room, takes it, and keeps batching off those shards meanwhile', async () => {
    const { clock, pacer: p } = pacer();
    const T = 'shardId-000000000001';
    p.take(S, 1_000, 0);
    p.answered(S, 1_000, 0);
    let acquired: ReadonlySet<string> | undefined;
    const waiting = p
      .acquire(
        new Map([
          [S, { records: 200, bytes: 0 }],
          [T, { records: 10, bytes: 0 }],
        ]),
        1_000,
      )
      .then((held) => (acquired = held));
    await clock.advance(150);
    expect(acquired).toBeUndefined();
    expect(p.allowance(T).records).toBe(0); // a retry is waiting for it
    await clock.advance(50);
    await waiting;
    expect(acquired).toEqual(new Set([T])); // T was idle: what it took is held until answered
    expect(p.allowance(S).records).toBe(0);
    expect(p.allowance(T).records).toBe(990);
  });

  it('gives up, taking nothing, when the shard cannot take it before the deadline', async () => {
    const { clock, pacer: p } = pacer();
    p.take(S, 1_000, 0);
    p.answered(S, 1_000, 0);
    expect(await p.acquire(new Map([[S, { records: 500, bytes: 0 }]]), clock.now() + 400)).toBeUndefined();
    expect(p.allowance(S).records).toBe(0);
  });
});

describe('ShardPacer: adapts to what the stream answers (AIMD)', () => {
  it('a throttle empties the buckets and cuts the rate, once per burst', async () => {
    const { clock, pacer: p } = pacer();
    p.throttled(S);
    p.throttled(S); // the same burst's other entries
    expect(p.rateOf(S)).toBe(ADAPTATION.cut);
    expect(p.allowance(S).records).toBe(0);
    await clock.advance(100);
    expect(p.allowance(S).records).toBe(100 * ADAPTATION.cut);
    await clock.advance(ADAPTATION.cutEveryMs);
    p.throttled(S);
    expect(p.rateOf(S)).toBeCloseTo(ADAPTATION.cut ** 2);
  });

  it('successes probe back up to the limits, never past them', async () => {
    const { clock, pacer: p } = pacer();
    p.throttled(S);
    await clock.advance(1_000);
    p.succeeded(S);
    expect(p.rateOf(S)).toBeCloseTo(ADAPTATION.cut + ADAPTATION.probePerSecond);
    for (let i = 0; i < 10; i++) {
      await clock.advance(1_000);
      p.succeeded(S);
    }
    expect(p.rateOf(S)).toBe(1);
  });

  it('never stops a shard entirely', async () => {
    const { clock, pacer: p } = pacer();
    for (let i = 0; i < 100; i++) {
      p.throttled(S);
      await clock.advance(ADAPTATION.cutEveryMs);
    }
    expect(p.rateOf(S)).toBe(ADAPTATION.floor);
  });
});
