import { beforeAll, describe, expect, it } from 'vitest';
import { kplUserRecords } from '../testing/kinesis';
import { entrySize, type Entry } from '../entry';
import { AggregateSizer, KplAggregator } from './kpl';

let aggregator: KplAggregator;
beforeAll(async () => {
  aggregator = await KplAggregator.load();
});

const entry = (json: string, partitionKey: string): Entry => ({ json, partitionKey, size: entrySize(json, partitionKey) });
const many = (n: number, key: (i: number) => string, json: (i: number) => string = (i) => `{"i":${i}}`) =>
  Array.from({ length: n }, (_, i) => entry(json(i), key(i)));

describe('AggregateSizer: the aggregate’s size as Kinesis counts it (UTF-8 data + partition key), exactly', () => {
  it.each<[string, Entry[]]>([
    ['three records, three keys', many(3, (i) => `key-${i}`)],
    [
      'uuid keys, 250-byte records',
      many(
        100,
        (i) => `0000000${i}`.slice(-8).padEnd(36, '-'),
        (i) => `{"i":${i},"pad":"${'x'.repeat(236)}"}`,
      ),
    ],
    ['one key repeated', many(50, () => 'status')],
    ['more than 127 keys: two-byte key indexes', many(300, (i) => `k${i}`)],
    ['multi-byte keys (the library counts them in UTF-16 units)', many(40, (i) => `${'€'.repeat(250)}${i}`)],
    ['records of 127, 128 and 16,384 bytes: varint lengths', [entry('x'.repeat(127), 'a'), entry('y'.repeat(128), 'b'), entry('z'.repeat(16_384), 'c')]],
  ])('%s', (_label, entries) => {
    const sizer = new AggregateSizer();
    for (const e of entries) {
      const before = sizer.sizeWith(e);
      sizer.add(e);
      expect(sizer.size).toBe(before);
    }
    const built = aggregator.build(entries, 'shardId-000000000000');
    expect(built.size).toBe(sizer.size);
    expect(built.size).toBe(built.data.byteLength + Buffer.byteLength(built.partitionKey));
  });
});

describe('KplAggregator.build: one Kinesis record for the records of one shard', () => {
  it('an aggregate in the KPL format, keyed by its first record, that aws-kinesis-agg reads back whole', async () => {
    const entries = [entry('{"a":1}', 'k1'), entry('{"name":"Zoë"}', 'ключ'), entry('{"a":3}', 'k1')];
    const built = aggregator.build(entries, 'shardId-000000000002');
    expect([...built.data.subarray(0, 4)]).toEqual([0xf3, 0x89, 0x9a, 0xc2]);
    expect(built).toMatchObject({ partitionKey: 'k1', shardId: 'shardId-000000000002', records: entries });
    expect(await kplUserRecords(built.data, built.partitionKey)).toEqual(
      entries.map(({ partitionKey, json }, subSequenceNumber) => ({ partitionKey, json, subSequenceNumber })),
    );
  });

  it('a lone record goes as it is, as the KPL sends it', () => {
    const lone = entry('{"a":1}', 'k1');
    const built = aggregator.build([lone], 'shardId-000000000000');
    expect(Buffer.from(built.data).toString()).toBe('{"a":1}');
    expect(built).toMatchObject({ partitionKey: 'k1', size: lone.size, records: [lone] });
  });
});
