import type { Shard } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { manualClock, virtualClock } from '@lakehouse/runtime/testing';
import { batches } from './batches';
import { entrySize, PUT_RECORDS_LIMITS, type Entry } from '../entry';
import type { PutEntry } from './put-entry';
import { AGGREGATE_MAX_BYTES, KplAggregator } from './kpl';
import { hashKeyOf, ShardDirectory, type listShards } from './shard-map';
import { ShardPacer } from './shard-pacer';
import { ShardQueues } from './shard-queues';
import { equalShards, splitFirst } from '../testing/shards';

const FOUR = equalShards(4);
const SPLIT = splitFirst(FOUR);

/** A shard directory over a fake ListShards that answers each list in turn (the last one for good). */
async function directory(...lists: Shard[][]): Promise<ShardDirectory> {
  const client = { send: async () => ({ Shards: lists.length > 1 ? lists.shift() : lists[0] }) } as unknown as Parameters<typeof listShards>[0];
  return ShardDirectory.open(client, 's');
}

const shardOfKey = (map: ShardDirectory['map'], key: string) => map.shardOf(hashKeyOf(key));
const record = (i: number, pad = 200): Entry => {
  const json = JSON.stringify({ i, pad: 'x'.repeat(pad) });
  const partitionKey = `key-${i}`;
  return { json, partitionKey, size: entrySize(json, partitionKey) };
};
const records = (n: number, pad?: number) => Array.from({ length: n }, (_, i) => record(i, pad));

async function* chunked(entries: Entry[], size = 500): AsyncGenerator<Entry[]> {
  for (let i = 0; i < entries.length; i += size) yield entries.slice(i, i + size);
}

let aggregator: KplAggregator;
beforeAll(async () => {
  aggregator = await KplAggregator.load();
});

/** Every batch the queues give, unpaced, for these records. */
async function drawAll(queues: ShardQueues, entries: Entry[]): Promise<PutEntry[][]> {
  const out: PutEntry[][] = [];
  for await (const batch of batches(chunked(entries), { lingerMs: 100, clock: virtualClock(), queues, onUnsent: async () => undefined })) out.push(batch);
  return out;
}

describe('ShardQueues: records grouped by the shard of their own partition key', () => {
  it('packs each shard’s records into aggregates of that shard only, within the KPL’s size, 500 records and 5 MiB a request', async () => {
    const shards = await directory(FOUR);
    const sent = await drawAll(new ShardQueues({ shards, aggregator }), records(20_000));
    const entries = sent.flat();
    for (const batch of sent) {
      expect(batch.length).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRecords);
      expect(batch.reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRequestBytes);
    }
    for (const e of entries) {
      expect(e.size).toBeLessThanOrEqual(AGGREGATE_MAX_BYTES);
      expect(new Set(e.records.map((r) => shardOfKey(shards.map, r.partitionKey)))).toEqual(new Set([e.shardId]));
      expect(shardOfKey(shards.map, e.partitionKey)).toBe(e.shardId); // Kinesis routes it by its key: to that shard
    }
    expect(entries.flatMap((e) => e.records.map((r) => r.partitionKey)).sort()).toEqual(
      records(20_000)
        .map((r) => r.partitionKey)
        .sort(),
    );
    expect(entries.length).toBeLessThan(20_000 / 100); // about 200 records of 250 bytes in an aggregate
  });

  it('sends a record too large for an aggregate on its own', async () => {
    const big = record(1, 200_000);
    const sent = (await drawAll(new ShardQueues({ shards: await directory(FOUR), aggregator }), [big, record(2), record(3)])).flat();
    expect(sent.find((e) => e.records.includes(big))).toMatchObject({ partitionKey: big.partitionKey, size: big.size, records: [big] });
  });

  it('routes queued records again when the shard map changes (a split): aggregates follow the new shards', async () => {
    const shards = await directory(FOUR, SPLIT);
    const queues = new ShardQueues({ shards, aggregator });
    const entries = records(4_000);
    queues.push(entries, 0);
    await shards.refresh();
    const sent = queues.commit(queues.plan());
    expect(new Set(sent.map((e) => e.shardId))).toContain('shardId-000000000004');
    expect(sent.map((e) => e.shardId)).not.toContain('shardId-000000000000');
    for (const e of sent) expect(new Set(e.records.map((r) => shardOfKey(shards.map, r.partitionKey)))).toEqual(new Set([e.shardId]));
  });
});

describe('ShardQueues with a pacer: no shard gets more than its limits allow', () => {
  /** Runs batches over a fast source on a manual clock, answering each request at once; the times and entries of each batch. */
  async function pacedRun(entries: Entry[], limits: { recordsPerSecond: number; bytesPerSecond: number }, options: { aggregate?: boolean } = {}) {
    const clock = manualClock();
    const pacer = new ShardPacer(limits, clock);
    const queues = new ShardQueues({ shards: await directory(FOUR), pacer, ...(options.aggregate ? { aggregator } : {}) });
    const sent: Array<{ at: number; batch: PutEntry[] }> = [];
    const iterator = batches(chunked(entries), { lingerMs: 100, clock, queues, onUnsent: async () => undefined })[Symbol.asyncIterator]();
    let next = iterator.next();
    for (let guard = 0; guard < 10_000; guard++) {
      const settled = await Promise.race([next, new Promise<undefined>((r) => setImmediate(() => r(undefined)))]);
      if (settled?.done) break;
      if (!settled) {
        await clock.advance(1);
        continue;
      }
      sent.push({ at: clock.now(), batch: settled.value });
      for (const e of settled.value) pacer.answered(e.shardId as string, 1, e.size);
      next = iterator.next();
    }
    return sent;
  }

  it('takes each shard’s burst at once, then its rate: records', async () => {
    const limits = { recordsPerSecond: 100, bytesPerSecond: 1_048_576 };
    const sent = await pacedRun(records(2_000), limits);
    const taken = new Map<string, number>();
    for (const { at, batch } of sent) {
      for (const e of batch) taken.set(e.shardId as string, (taken.get(e.shardId as string) ?? 0) + 1);
      for (const [, n] of taken) expect(n).toBeLessThanOrEqual(limits.recordsPerSecond + (limits.recordsPerSecond * at) / 1000 + 1e-6);
    }
    expect([...taken.values()].reduce((a, b) => a + b, 0)).toBe(2_000);
    // The busiest shard's records took no longer than its limit allows, give or take a linger and a token's time.
    const last = sent.at(-1)?.at ?? 0;
    expect(last).toBeLessThanOrEqual((Math.max(...taken.values()) / limits.recordsPerSecond - 1) * 1000 + 100 + 1000 / limits.recordsPerSecond + 10);
    // After the burst, a partly filled request goes once per linger, not as each token comes in.
    const gaps = sent.slice(1).map((s, i) => s.at - (sent[i]?.at ?? 0));
    expect(gaps.filter((gap) => gap > 0 && gap < 100)).toEqual([]);
  });

  it('takes each shard’s burst at once, then its rate: bytes, with aggregates', async () => {
    const limits = { recordsPerSecond: 1_000, bytesPerSecond: 100_000 };
    const sent = await pacedRun(records(4_000), limits, { aggregate: true });
    const bytes = new Map<string, number>();
    for (const { at, batch } of sent) {
      for (const e of batch) bytes.set(e.shardId as string, (bytes.get(e.shardId as string) ?? 0) + e.size);
      for (const [, n] of bytes) expect(n).toBeLessThanOrEqual(limits.bytesPerSecond + (limits.bytesPerSecond * at) / 1000 + 1e-6);
    }
    expect(sent.flatMap((s) => s.batch.flatMap((e) => e.records)).length).toBe(4_000);
  });
});
