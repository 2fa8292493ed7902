import type { Clock } from '@lakehouse/runtime';
import { describe, expect, it } from 'vitest';
import { batches } from './batches';
import { entrySize, PUT_RECORDS_LIMITS, sizeProblem, type Entry } from '../entry';
import type { PutEntry } from './put-entry';

const MiB = 1024 * 1024;

/** Virtual time: only the test moves it; sleeps resolve when it passes their end. */
function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let t = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleepers.push({ until: t + ms, wake: resolve });
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
    async advance(ms) {
      t += ms;
      for (const s of sleepers.filter((s) => s.until <= t)) s.wake();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const entry = (size: number, json = ''): Entry => ({ json, partitionKey: 'k', size });
const jsonOf = (e: PutEntry) => e.records[0]?.json;
const noUnsent = async () => undefined;

async function* chunksOf(sizes: number[], chunk = 500): AsyncGenerator<Entry[]> {
  for (let i = 0; i < sizes.length; i += chunk) yield sizes.slice(i, i + chunk).map((size) => entry(size));
}

/** Every batch's record count and bytes, for a source of entries of these sizes. */
async function batchesOf(sizes: number[]): Promise<Array<{ records: number; bytes: number }>> {
  const out: Array<{ records: number; bytes: number }> = [];
  for await (const b of batches(chunksOf(sizes), { lingerMs: 100, clock: manualClock(), onUnsent: noUnsent })) {
    out.push({ records: b.length, bytes: b.reduce((sum, e) => sum + e.size, 0) });
  }
  return out;
}

describe('batches: at most 500 records and 5 MiB per PutRecords', () => {
  it.each([
    ['no records', [], []],
    ['one record', [200], [1]],
    ['1,200 small records', Array(1200).fill(200), [500, 500, 200]],
    ['exactly 500', Array(500).fill(200), [500]],
    ['six records of exactly 1 MiB: five fill 5 MiB', Array(6).fill(MiB), [5, 1]],
    ['twelve of 900 KiB: five fit in 5 MiB', Array(12).fill(900 * 1024), [5, 5, 2]],
    ['499 small then one of 1 MiB still fit', [...Array(499).fill(200), MiB], [500]],
    ['a big record after 4.5 MiB starts a new batch', [...Array(9).fill(512 * 1024), MiB], [9, 1]],
  ])('%s', async (_label, sizes: number[], expected: number[]) => {
    const found = await batchesOf(sizes);
    expect(found.map((b) => b.records)).toEqual(expected);
    for (const b of found) {
      expect(b.records).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRecords);
      expect(b.bytes).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRequestBytes);
    }
    expect(found.reduce((n, b) => n + b.records, 0)).toBe(sizes.length);
  });
});

describe('batches: a slow source', () => {
  /** A source that yields whatever chunk the test feeds it, when it feeds it. */
  function fedSource() {
    let feed: ((chunk: Entry[]) => void) | undefined;
    async function* source(): AsyncGenerator<Entry[]> {
      for (;;) yield await new Promise<Entry[]>((resolve) => (feed = resolve));
    }
    return { source: source(), feed: (chunk: Entry[]) => feed?.(chunk) };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it('sends a partly filled batch once its oldest record has lingered, not before', async () => {
    const clock = manualClock();
    const { source, feed } = fedSource();
    const iterator = batches(source, { lingerMs: 100, clock, onUnsent: noUnsent })[Symbol.asyncIterator]();
    const first = iterator.next();
    await tick();
    feed([entry(10, 'a'), entry(10, 'b')]);
    await tick();
    let settled = false;
    void first.then(() => (settled = true));
    await clock.advance(99);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect((await first).value?.map(jsonOf)).toEqual(['a', 'b']);
  });

  it('hands back the rest of a chunk it took when the consumer stops early', async () => {
    const unsent: Entry[] = [];
    let received = 0;
    const options = { lingerMs: 100, clock: manualClock(), onUnsent: async (e: Entry[]) => void unsent.push(...e) };
    for await (const b of batches(chunksOf(Array(1_200).fill(10), 700), options)) {
      received += b.length;
      break; // a fatal error after the first batch
    }
    // 500 went out; the other 200 of the first chunk were taken but never batched. The second chunk was never read.
    expect(received).toBe(500);
    expect(unsent).toHaveLength(200);
  });

  it('hands back a chunk that was being read when the consumer stopped', async () => {
    const clock = manualClock();
    const { source, feed } = fedSource();
    const unsent: string[] = [];
    const consumer = (async () => {
      for await (const b of batches(source, { lingerMs: 100, clock, onUnsent: async (e) => void unsent.push(...e.map((x) => x.json)) })) {
        expect(b.map(jsonOf)).toEqual(['a']);
        break;
      }
    })();
    await tick();
    feed([entry(10, 'a')]);
    await tick();
    await clock.advance(100); // 'a' lingers out; the source is being read again when the consumer stops
    await tick();
    feed([entry(10, 'b'), entry(10, 'c')]);
    await consumer;
    expect(unsent).toEqual(['b', 'c']);
  });
});

describe('entrySize: data plus partition key, in UTF-8 bytes', () => {
  it.each([
    ['{"a":1}', 'key', 10],
    ['{"name":"Zoë"}', 'k', 16],
    ['{}', 'é', 4],
  ])('%s + %s = %i bytes', (json, key, bytes) => {
    expect(entrySize(json, key)).toBe(bytes);
  });
});

describe('sizeProblem: records over 1 MiB are refused', () => {
  it.each([
    [1, undefined],
    [MiB, undefined],
    [MiB + 1, 'record is 1,048,577 bytes with its partition key; Kinesis takes at most 1,048,576 (1 MiB): make it smaller'],
    [5 * MiB, 'record is 5,242,880 bytes with its partition key; Kinesis takes at most 1,048,576 (1 MiB): make it smaller'],
  ])('%i bytes -> %s', (size, problem) => {
    expect(sizeProblem(size)).toBe(problem);
  });
});
