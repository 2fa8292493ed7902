import { describe, expect, it } from 'vitest';
import { BatchBuilder, entrySize, PUT_RECORDS_LIMITS, sizeProblem, type Entry } from './batching';

const MiB = 1024 * 1024;

/** Feeds entries through the builder the way the sender does, returning each batch's record count and bytes. */
function batchesOf(sizes: number[]): Array<{ records: number; bytes: number }> {
  const builder = new BatchBuilder();
  const batches: Entry[][] = [];
  for (const size of sizes) {
    const entry: Entry = { json: '', partitionKey: 'k', size };
    if (!builder.fits(entry)) batches.push(builder.take());
    builder.add(entry, 0);
    if (builder.full) batches.push(builder.take());
  }
  if (builder.size > 0) batches.push(builder.take());
  return batches.map((b) => ({ records: b.length, bytes: b.reduce((sum, e) => sum + e.size, 0) }));
}

describe('BatchBuilder: at most 500 records and 5 MiB per PutRecords', () => {
  it.each([
    ['no records', [], []],
    ['one record', [200], [1]],
    ['1,200 small records', Array(1200).fill(200), [500, 500, 200]],
    ['exactly 500', Array(500).fill(200), [500]],
    ['six records of exactly 1 MiB: five fill 5 MiB', Array(6).fill(MiB), [5, 1]],
    ['twelve of 900 KiB: five fit in 5 MiB', Array(12).fill(900 * 1024), [5, 5, 2]],
    ['499 small then one of 1 MiB still fit', [...Array(499).fill(200), MiB], [500]],
    ['a big record after 4.5 MiB starts a new batch', [...Array(9).fill(512 * 1024), MiB], [9, 1]],
  ])('%s', (_label, sizes: number[], expected: number[]) => {
    const batches = batchesOf(sizes);
    expect(batches.map((b) => b.records)).toEqual(expected);
    for (const b of batches) {
      expect(b.records).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRecords);
      expect(b.bytes).toBeLessThanOrEqual(PUT_RECORDS_LIMITS.maxRequestBytes);
    }
    expect(batches.reduce((n, b) => n + b.records, 0)).toBe(sizes.length);
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
