import type { Shard } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { equalShards, MAX_HASH_KEY, splitFirst } from '../testing/shards';
import { hashKeyOf, listShards, ShardDirectory, ShardMap } from './shard-map';

const MAX = MAX_HASH_KEY;
const QUARTER = 2n ** 126n;
/** Four equal shards, as kinesalite and AWS make them. */
const FOUR = equalShards(4);
/** Shard 0 of four split at its middle into shards 4 and 5. */
const SPLIT = splitFirst(FOUR);

describe('hashKeyOf: MD5 of the UTF-8 partition key, as a 128-bit unsigned big-endian integer', () => {
  it.each([
    ['a', 0x0cc175b9c0f1b6a831c399e269772661n],
    ['', 0xd41d8cd98f00b204e9800998ecf8427en],
    ['ключ-€', 318382563839109165766287810478971477443n],
  ])('%j', (key, hash) => {
    expect(hashKeyOf(key)).toBe(hash);
  });
});

describe('ShardMap: hash key → the open shard whose range holds it', () => {
  it.each<[string, Shard[], bigint, string | undefined]>([
    ['the lowest hash key', FOUR, 0n, 'shardId-000000000000'],
    ['the end of the first range', FOUR, QUARTER - 1n, 'shardId-000000000000'],
    ['the start of the second range', FOUR, QUARTER, 'shardId-000000000001'],
    ['the highest hash key', FOUR, MAX, 'shardId-000000000003'],
    ['a closed parent is passed over for its children', SPLIT, 0n, 'shardId-000000000004'],
    ['the second child', SPLIT, QUARTER / 2n, 'shardId-000000000005'],
    ['a range no open shard holds (mid-reshard)', [FOUR[0] as Shard], QUARTER, undefined],
    ['no shards', [], 1n, undefined],
  ])('%s', (_label, shards, hashKey, shardId) => {
    expect(ShardMap.fromShards(shards).shardOf(hashKey)).toBe(shardId);
  });

  it('knows closed shards by id, and lists only the open ones', () => {
    const map = ShardMap.fromShards(SPLIT);
    expect(map.range('shardId-000000000000')?.open).toBe(false);
    expect(map.openShards.map((s) => s.shardId)).toEqual([
      'shardId-000000000004',
      'shardId-000000000005',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
  });
});

/** A Kinesis client that answers ListShards from a list of pages or failures, counting the calls. */
function listing(...answers: Array<{ Shards: Shard[]; NextToken?: string } | Error>) {
  const calls: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      calls.push(command.input);
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Parameters<typeof listShards>[0];
  return { client, calls };
}

describe('ShardDirectory: the shard map, learnt again when Kinesis says it is stale', () => {
  it('lists every page of shards', async () => {
    const { client, calls } = listing({ Shards: FOUR.slice(0, 2), NextToken: 't' }, { Shards: FOUR.slice(2) });
    expect((await listShards(client, 's')).map((s) => s.ShardId)).toEqual(FOUR.map((s) => s.ShardId));
    expect(calls).toEqual([{ StreamName: 's' }, { NextToken: 't' }]);
  });

  it('refreshes once for any number of stale results at a time, and bumps its version only when the shards changed', async () => {
    const { client, calls } = listing({ Shards: FOUR }, { Shards: FOUR }, { Shards: SPLIT });
    const directory = await ShardDirectory.open(client, 's');
    await Promise.all([directory.refresh(), directory.refresh()]);
    expect([calls.length, directory.version]).toEqual([2, 0]);
    await directory.refresh();
    expect([calls.length, directory.version, directory.refreshes]).toEqual([3, 1, 2]);
    expect(directory.map.shardOf(0n)).toBe('shardId-000000000004');
  });

  it('keeps its map when ListShards fails', async () => {
    const { client } = listing({ Shards: FOUR }, new Error('throttled'));
    const directory = await ShardDirectory.open(client, 's');
    await directory.refresh();
    expect([directory.version, directory.map.shardOf(0n)]).toEqual([0, 'shardId-000000000000']);
  });

  it.each<[string, Shard[], string, boolean]>([
    ['stored where the map says: not stale', FOUR, 'shardId-000000000000', false],
    ['stored on a shard the map does not know (a child): stale', FOUR, 'shardId-000000000004', true],
    ['stored on a shard the map knows is closed (before it closed): not stale', SPLIT, 'shardId-000000000000', false],
    ['stored on the shard the map now predicts: not stale', SPLIT, 'shardId-000000000004', false],
  ])('%s', async (_label, shards, actual, stale) => {
    const { client } = listing({ Shards: shards });
    const directory = await ShardDirectory.open(client, 's');
    // A key whose hash key is in the lowest eighth of the key space: shard 0 of four, shard 4 after the split.
    const key = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find((k) => hashKeyOf(k) < QUARTER / 2n) as string;
    expect(directory.isStale(key, actual)).toBe(stale);
  });
});
