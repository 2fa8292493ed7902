import { createHash } from 'node:crypto';
import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';

/**
 * Which shard takes a record, as Kinesis decides it: the MD5 of the partition key (UTF-8) read as an unsigned
 * 128-bit big-endian integer (the hash key) falls in exactly one open shard's [StartingHashKey, EndingHashKey].
 */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

export interface ShardRange {
  shardId: string;
  start: bigint;
  end: bigint;
  /** Open shards take writes; a closed one (split, merged) has an EndingSequenceNumber. */
  open: boolean;
}

/** The shards of a stream as ListShards gave them at one moment: hash key → open shard, by binary search. */
export class ShardMap {
  private readonly sorted: ShardRange[];
  private readonly byId: ReadonlyMap<string, ShardRange>;

  constructor(shards: readonly ShardRange[]) {
    this.sorted = shards.filter((s) => s.open).sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
    this.byId = new Map(shards.map((s) => [s.shardId, s]));
  }

  static fromShards(shards: readonly Shard[]): ShardMap {
    return new ShardMap(
      shards.map((s) => ({
        shardId: s.ShardId ?? '',
        start: BigInt(s.HashKeyRange?.StartingHashKey ?? '0'),
        end: BigInt(s.HashKeyRange?.EndingHashKey ?? '0'),
        open: s.SequenceNumberRange?.EndingSequenceNumber === undefined,
      })),
    );
  }

  /** The open shards, by hash key range. */
  get openShards(): readonly ShardRange[] {
    return this.sorted;
  }

  /** The open shard whose range holds this hash key; undefined when the map has a gap there (mid-reshard). */
  shardOf(hashKey: bigint): string | undefined {
    let [low, high] = [0, this.sorted.length - 1];
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.sorted[middle] as ShardRange).end < hashKey) low = middle + 1;
      else high = middle;
    }
    const shard = this.sorted[low];
    return shard && hashKey >= shard.start && hashKey <= shard.end ? shard.shardId : undefined;
  }

  /** A shard of the map, open or closed. */
  range(shardId: string): ShardRange | undefined {
    return this.byId.get(shardId);
  }
}

/** Every shard of the stream, open and closed (ListShards, page by page). */
export async function listShards(client: Pick<KinesisClient, 'send'>, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

/**
 * The producer's view of the stream's shards, as the KPL keeps it: learnt once with ListShards and learnt again
 * when Kinesis says it is stale (a record stored on another shard than the map predicted: a split, a merge, an
 * on-demand stream scaling) or when it has a gap. One ListShards at a time; a failed refresh keeps the old map.
 */
export class ShardDirectory {
  /** Bumped by each refresh that changed the map, so holders of routed records know to route them again. */
  version = 0;
  refreshes = 0;
  private refreshing: Promise<void> | undefined;

  private constructor(
    private readonly client: Pick<KinesisClient, 'send'>,
    private readonly streamName: string,
    public map: ShardMap,
    private readonly onRefreshed?: () => void,
  ) {}

  /** Learns the shard map; rejects with ListShards' error. `onRefreshed` is told of each refresh that succeeds. */
  static async open(client: Pick<KinesisClient, 'send'>, streamName: string, onRefreshed?: () => void): Promise<ShardDirectory> {
    return new ShardDirectory(client, streamName, ShardMap.fromShards(await listShards(client, streamName)), onRefreshed);
  }

  /** The shard a partition key goes to; undefined (and a refresh started) when the map has a gap for it. */
  shardOf(partitionKey: string): string | undefined {
    const shardId = this.map.shardOf(hashKeyOf(partitionKey));
    if (shardId === undefined) void this.refresh();
    return shardId;
  }

  /**
   * Whether a record the map sent to `predicted` but Kinesis stored on `actual` shows the map is stale: not when
   * the current map already predicts `actual`, nor when `actual` is a shard the map knows is closed (the record
   * was stored before it closed).
   */
  isStale(partitionKey: string, actual: string): boolean {
    if (this.map.shardOf(hashKeyOf(partitionKey)) === actual) return false;
    return this.map.range(actual)?.open !== false;
  }

  /** Lists the shards again (joining a refresh under way); the map changes only if ListShards succeeds. */
  refresh(): Promise<void> {
    this.refreshing ??= listShards(this.client, this.streamName)
      .then((shards) => {
        this.refreshes++;
        const map = ShardMap.fromShards(shards);
        if (!sameShards(map, this.map)) {
          this.map = map;
          this.version++;
        }
        this.onRefreshed?.();
      })
      .catch(() => undefined) // the next stale result asks again
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}

function sameShards(a: ShardMap, b: ShardMap): boolean {
  const [x, y] = [a.openShards, b.openShards];
  return x.length === y.length && x.every((s, i) => s.shardId === y[i]?.shardId);
}
