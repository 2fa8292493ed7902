import { describe, expect, it } from 'vitest';
import { comparePositions, mergePartitionPositions, ReadProgress } from './progress';

describe('ReadProgress: the shard position when partitions are delivered out of reading order', () => {
  it('moves to the last record before the oldest one still buffered', () => {
    const progress = new ReadProgress();
    progress.read('s', '1', 1); // partition A
    progress.read('s', '2', 1); // partition B
    progress.read('s', '3', 1); // partition A
    expect(progress.settle([{ shardId: 's', sequenceNumber: '2' }])).toEqual({}); // B delivered: 1 still waits
    expect(
      progress.settle([
        { shardId: 's', sequenceNumber: '1' },
        { shardId: 's', sequenceNumber: '3' },
      ]),
    ).toEqual({ s: '3' });
  });

  it('waits for every user record of an aggregate, and passes records with nothing to deliver (skipped after a restart)', () => {
    const progress = new ReadProgress();
    progress.read('s', '1', 0);
    progress.read('s', '2', 2); // two user records, two partitions
    progress.read('t', '9', 1);
    expect(progress.settle([{ shardId: 's', sequenceNumber: '2' }])).toEqual({ s: '1' });
    expect(progress.settle([{ shardId: 's', sequenceNumber: '2' }])).toEqual({ s: '2' });
    expect(progress.settle([{ shardId: 't', sequenceNumber: '9' }])).toEqual({ t: '9' });
  });
});

describe('partition positions', () => {
  it.each([
    ['10', '9', 1],
    ['9', '10', -1],
    ['10:2', '10:3', -1],
    ['10', '10:7', 1], // a whole record is after all its user records
    ['100000000000000000000000000000000000000000000000002', '100000000000000000000000000000000000000000000000001', 1],
  ])('%s against %s: %d', (a, b, sign) => {
    expect(Math.sign(comparePositions(a, b))).toBe(sign);
  });

  it('keep the later position of each partition, and drop what the shard positions cover', () => {
    const merged = mergePartitionPositions({ A: { s: '5', t: '3' }, B: { s: '2' } }, { A: { s: '7' }, C: { s: '9:1' } }, { s: '6', t: '3' });
    expect(merged).toEqual({ A: { s: '7' }, C: { s: '9:1' } });
  });
});
