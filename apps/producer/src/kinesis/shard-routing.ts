import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { classifyAwsError, isRetriable } from '@lakehouse/aws';
import type { Clock } from '@lakehouse/runtime';
import { shardMapError } from './fatal-errors';
import { KplAggregator } from './kpl';
import type { Landed, PutAnswer } from './put-answer';
import { plainEntry, type PutEntry } from './put-entry';
import { backoffDelay, type RetryPolicy } from './retry';
import { hashKeyOf, ShardDirectory } from './shard-map';
import { ShardPacer, type ShardLimits, type ShardNeed } from './shard-pacer';
import { ShardQueues } from './shard-queues';

export interface ShardRoutingOptions {
  client: Pick<KinesisClient, 'send'>;
  streamName: string;
  /** Pace each shard under these limits (learning the shard map); absent: no pacing. */
  shardLimits?: ShardLimits;
  /** Group records into KPL aggregates per shard (needs the shard map). */
  aggregate?: boolean;
  retry: RetryPolicy;
  clock: Clock;
  random?: () => number;
  /** Told of each refresh of the shard map after the first ListShards. */
  onRefreshed: () => void;
  /** Told that a refused ListShards means sending without per-shard pacing. */
  onNote?: (line: string) => void;
}

/** Aggregates that landed on another shard: those to count as sent, and the records to send again alone. */
export interface Placed {
  kept: PutEntry[];
  again: PutEntry[];
}

/**
 * Where entries go and how fast: the shard map (learnt with ListShards, learnt again when an answer shows it stale),
 * each shard's pacing, and entries routed again after a reshard. Without limits or aggregation there is no map, and
 * every method lets entries through as they are.
 */
export class ShardRouting {
  private constructor(
    /** Where records wait for their request: per shard with a map, else one queue. */
    readonly queues: ShardQueues,
    private readonly shards?: ShardDirectory,
    private readonly pacer?: ShardPacer,
  ) {}

  /** Learns the shard map when pacing or aggregating; throws the fatal error a failed ListShards means. */
  static async open(options: ShardRoutingOptions): Promise<ShardRouting> {
    const { shardLimits, aggregate, client, streamName, clock, onRefreshed, onNote } = options;
    if (!shardLimits && !aggregate) return new ShardRouting(new ShardQueues());
    let shards: ShardDirectory;
    try {
      shards = await withRetries(() => ShardDirectory.open(client, streamName, onRefreshed), options);
    } catch (error) {
      const { kind, code } = classifyAwsError(error);
      if (code !== 'AccessDeniedException' || aggregate) throw shardMapError(kind, code, streamName, error);
      onNote?.(`cannot list the shards of stream "${streamName}" (no kinesis:ListShards permission): sending without per-shard pacing`);
      return new ShardRouting(new ShardQueues());
    }
    const pacer = shardLimits && new ShardPacer(shardLimits, clock);
    const aggregator = aggregate ? await KplAggregator.load() : undefined;
    return new ShardRouting(new ShardQueues({ shards, ...(pacer ? { pacer } : {}), ...(aggregator ? { aggregator } : {}) }), shards, pacer);
  }

  /** Whether a record stored on `shardId` shows the map is out of date (see ShardDirectory.isStale). */
  readonly isStale = (partitionKey: string, shardId: string): boolean => this.shards?.isStale(partitionKey, shardId) ?? false;

  /** What an answer says of the shards: throttled ones slow down, the others may speed up; a stale map is learnt again. */
  heard(answer: PutAnswer): void {
    if (answer.staleMap) void this.shards?.refresh();
    for (const shardId of answer.throttledShards) this.pacer?.throttled(shardId);
    for (const shardId of answer.succeededShards) this.pacer?.succeeded(shardId);
  }

  /** Entries to retry wait for their shards' pacing; false if that would take past the deadline. */
  async paced(entries: readonly PutEntry[], deadline: number): Promise<boolean> {
    if (!this.pacer) return true;
    const held = await this.pacer.acquire(needsOf(entries), deadline);
    if (!held) return false;
    for (const entry of entries) if (entry.shardId !== undefined && held.has(entry.shardId)) entry.held = true;
    return true;
  }

  /** The pacing tokens these entries held are no longer in flight. */
  answered(entries: readonly PutEntry[]): void {
    const held = entries.filter((e) => e.held);
    if (!this.pacer || held.length === 0) return;
    for (const [shardId, { records, bytes }] of needsOf(held)) this.pacer.answered(shardId, records, bytes);
    for (const entry of held) entry.held = false;
  }

  /** Entries to retry, with their shard as the map says now: an aggregate for a shard that has closed goes as its records. */
  reroute(entries: PutEntry[]): PutEntry[] {
    const shards = this.shards;
    if (!shards) return entries;
    return entries.flatMap((entry) => {
      if (entry.shardId === undefined || shards.map.range(entry.shardId)?.open !== false) return [entry];
      return entry.records.map((r) => plainEntry(r, shards.shardOf(r.partitionKey)));
    });
  }

  /**
   * Aggregates stored on another shard than the map predicted (a reshard under way): one whose records all belong
   * to the shard it landed on is kept; otherwise the KCL drops it, so its records go again, each on its own (routed
   * by its own key, a record can't land wrong).
   */
  async place(elsewhere: readonly Landed[]): Promise<Placed> {
    const placed: Placed = { kept: [], again: [] };
    const shards = this.shards;
    if (elsewhere.length === 0 || !shards) return placed;
    if (elsewhere.some(({ shardId }) => shards.map.range(shardId) === undefined)) await shards.refresh();
    for (const { entry, shardId } of elsewhere) {
      const range = shards.map.range(shardId);
      const belongs = range !== undefined && entry.records.every((r) => ((hash) => hash >= range.start && hash <= range.end)(hashKeyOf(r.partitionKey)));
      if (belongs) placed.kept.push(entry);
      else placed.again.push(...entry.records.map((r) => plainEntry(r, shards.shardOf(r.partitionKey))));
    }
    return placed;
  }
}

/** A call retried like a failed request (a few times, with backoff) while it fails with a retriable error. */
async function withRetries<T>(call: () => Promise<T>, { retry, clock, random }: Pick<ShardRoutingOptions, 'retry' | 'clock' | 'random'>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 3 || !isRetriable(classifyAwsError(error).kind)) throw error;
      await clock.sleep(backoffDelay(attempt, retry, random));
    }
  }
}

/** What each shard must take for these entries to be sent again. */
function needsOf(entries: readonly PutEntry[]): Map<string, ShardNeed> {
  const needs = new Map<string, ShardNeed>();
  for (const { shardId, size } of entries) {
    if (shardId === undefined) continue;
    const need = needs.get(shardId) ?? { records: 0, bytes: 0 };
    needs.set(shardId, { records: need.records + 1, bytes: need.bytes + size });
  }
  return needs;
}
