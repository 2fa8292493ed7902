import type { Shard } from '@aws-sdk/client-kinesis';

/** The top of Kinesis' 128-bit hash key space. */
export const MAX_HASH_KEY = 2n ** 128n - 1n;

/** A shard as ListShards returns it, covering hash keys start..end; closed when it has an ending sequence number. */
const shard = (id: number, start: bigint, end: bigint, closed = false): Shard => ({
  ShardId: `shardId-${String(id).padStart(12, '0')}`,
  HashKeyRange: { StartingHashKey: String(start), EndingHashKey: String(end) },
  SequenceNumberRange: { StartingSequenceNumber: '1', ...(closed ? { EndingSequenceNumber: '9' } : {}) },
});

/** `count` equal open shards, as kinesalite and AWS make them. */
export const equalShards = (count: number): Shard[] => {
  const width = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => shard(i, BigInt(i) * width, i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * width - 1n));
};

/** `shards` after shard 0 split at its middle: it is closed, and two new shards (ids following) cover its keys. */
export const splitFirst = (shards: Shard[]): Shard[] => {
  const [first, ...rest] = shards;
  const end = BigInt(first?.HashKeyRange?.EndingHashKey ?? '0');
  const middle = (end + 1n) / 2n;
  return [shard(0, 0n, end, true), ...rest, shard(shards.length, 0n, middle - 1n), shard(shards.length + 1, middle, end)];
};
