import type { Clock } from '@lakehouse/runtime';

/** What one shard takes: records and bytes (data + partition key) per second, whichever comes first. */
export interface ShardLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

/** A provisioned shard's write limits on AWS; an on-demand stream's shards have the same. */
export const AWS_SHARD_LIMITS: ShardLimits = { recordsPerSecond: 1_000, bytesPerSecond: 1_048_576 };

/**
 * How a shard's rate adapts to what the stream answers (AIMD, as TCP does): a throttle empties the shard's buckets
 * (it is out of capacity now) and cuts its rate by `cut`, once per `cutEveryMs` (the entries of one burst come back
 * together); each second of successful puts wins back `probePerSecond` of the limit, never above it. `floor` keeps a
 * throttled shard moving.
 */
export const ADAPTATION = { cut: 0.85, cutEveryMs: 500, probePerSecond: 0.1, floor: 0.02 } as const;

/** Refills add fractions of tokens: a sum a rounding error short of a whole token still counts as one. */
const EPSILON = 1e-6;

/** What a retry needs of one shard. */
export interface ShardNeed {
  records: number;
  bytes: number;
}

/**
 * One shard's token buckets (records, bytes), refilled at `rate` × the limits, holding at most one second of them.
 * Kinesis takes a request's tokens when it arrives, not when it is sent, and a shard whose buckets are full gains
 * nothing meanwhile: so tokens taken from nearly full buckets (a shard that had been idle) are held, not earned back
 * while their request is in flight; counting them earned would let the next batch overdraw the shard. Tokens taken
 * from buckets a busy shard keeps low are not held: Kinesis' buckets are low too, and refill all the while.
 */
class ShardBucket {
  /** The share of the limits allowed now (AIMD). */
  rate = 1;
  records: number;
  bytes: number;
  /** Held for requests not answered yet. */
  inFlight = { records: 0, bytes: 0 };
  /** Retries waiting for this shard: batching takes nothing from it meanwhile, so they are not starved. */
  waiters = 0;
  private lastCut = Number.NEGATIVE_INFINITY;
  private lastProbe: number;

  constructor(
    private readonly limits: ShardLimits,
    private at: number,
  ) {
    this.records = limits.recordsPerSecond;
    this.bytes = limits.bytesPerSecond;
    this.lastProbe = at;
  }

  refill(now: number): void {
    const seconds = Math.max(0, now - this.at) / 1000;
    this.at = now;
    const { recordsPerSecond, bytesPerSecond } = this.limits;
    this.records = Math.max(this.records, Math.min(recordsPerSecond - this.inFlight.records, this.records + seconds * recordsPerSecond * this.rate));
    this.bytes = Math.max(this.bytes, Math.min(bytesPerSecond - this.inFlight.bytes, this.bytes + seconds * bytesPerSecond * this.rate));
  }

  /** More than half of a second's worth in both buckets: the shard has not been kept busy. */
  get idle(): boolean {
    return this.records > this.limits.recordsPerSecond / 2 && this.bytes > this.limits.bytesPerSecond / 2;
  }

  get full(): boolean {
    return this.records + EPSILON >= this.limits.recordsPerSecond && this.bytes + EPSILON >= this.limits.bytesPerSecond;
  }

  /** Milliseconds until it holds `need` (or is full: a need larger than a second's worth goes on a full bucket). */
  msUntil(need: ShardNeed): number {
    if ((this.records + EPSILON >= need.records && this.bytes + EPSILON >= need.bytes) || this.full) return 0;
    const records = Math.min(need.records, this.limits.recordsPerSecond) - this.records;
    const bytes = Math.min(need.bytes, this.limits.bytesPerSecond) - this.bytes;
    const perMs = (limit: number) => (limit * this.rate) / 1000;
    return Math.ceil(Math.max(records / perMs(this.limits.recordsPerSecond), bytes / perMs(this.limits.bytesPerSecond), 0));
  }

  throttled(now: number): void {
    // The shard is out of capacity now, whatever this bucket thought.
    this.records = Math.min(this.records, 0);
    this.bytes = Math.min(this.bytes, 0);
    if (now - this.lastCut >= ADAPTATION.cutEveryMs) {
      this.rate = Math.max(ADAPTATION.floor, this.rate * ADAPTATION.cut);
      this.lastCut = now;
    }
    this.lastProbe = now;
  }

  succeeded(now: number): void {
    const seconds = Math.min(1, Math.max(0, now - this.lastProbe) / 1000);
    this.lastProbe = now;
    this.rate = Math.min(1, this.rate + ADAPTATION.probePerSecond * seconds);
  }
}

/**
 * Keeps each shard under its limits, as the KPL does: a token bucket per shard for records and one for bytes.
 * Batching takes what a shard's buckets allow (`allowance`, `take`); retries wait for theirs (`acquire`); results
 * adapt the rate (`throttled`, `succeeded`). Time comes from the clock, so tests need no wall-clock luck.
 */
export class ShardPacer {
  private readonly buckets = new Map<string, ShardBucket>();

  constructor(
    readonly limits: ShardLimits,
    private readonly clock: Clock,
  ) {}

  /** A shard's buckets, refilled to now; a shard seen for the first time starts with a full second. */
  private bucket(shardId: string): ShardBucket {
    const now = this.clock.now();
    let bucket = this.buckets.get(shardId);
    if (!bucket) this.buckets.set(shardId, (bucket = new ShardBucket(this.limits, now)));
    bucket.refill(now);
    return bucket;
  }

  /** What the shard may take now (nothing while a retry waits for it); `full` when its buckets are. */
  allowance(shardId: string): { records: number; bytes: number; full: boolean } {
    const bucket = this.bucket(shardId);
    if (bucket.waiters > 0) return { records: 0, bytes: 0, full: false };
    return { records: Math.floor(bucket.records + EPSILON), bytes: Math.floor(bucket.bytes + EPSILON), full: bucket.full };
  }

  /** Takes tokens for a request about to go; true when they are held (see ShardBucket) until `answered`. */
  take(shardId: string, records: number, bytes: number): boolean {
    const bucket = this.bucket(shardId);
    const held = bucket.idle;
    bucket.records -= records;
    bucket.bytes -= bytes;
    if (held) {
      bucket.inFlight.records += records;
      bucket.inFlight.bytes += bytes;
    }
    return held;
  }

  /** The request that held these tokens was answered (or failed): they are no longer in flight. */
  answered(shardId: string, records: number, bytes: number): void {
    const bucket = this.bucket(shardId);
    bucket.inFlight.records = Math.max(0, bucket.inFlight.records - records);
    bucket.inFlight.bytes = Math.max(0, bucket.inFlight.bytes - bytes);
  }

  /** Milliseconds until the shard could take `need`; a short wait while a retry has it. */
  msUntil(shardId: string, need: ShardNeed): number {
    const bucket = this.bucket(shardId);
    return bucket.waiters > 0 ? 10 : bucket.msUntil(need);
  }

  /**
   * Waits until every shard of `needs` can take its part, and takes it: the shards whose tokens are held; undefined
   * (taking nothing) if that would be after `deadline`.
   */
  async acquire(needs: ReadonlyMap<string, ShardNeed>, deadline: number): Promise<ReadonlySet<string> | undefined> {
    const buckets = [...needs.keys()].map((shardId) => this.bucket(shardId));
    for (const bucket of buckets) bucket.waiters++;
    try {
      for (;;) {
        const wait = Math.max(0, ...[...needs].map(([shardId, need]) => this.bucket(shardId).msUntil(need)));
        if (wait === 0) break;
        if (this.clock.now() + wait > deadline) return undefined;
        await this.clock.sleep(wait);
      }
    } finally {
      for (const bucket of buckets) bucket.waiters--;
    }
    return new Set([...needs].filter(([shardId, need]) => this.take(shardId, need.records, need.bytes)).map(([shardId]) => shardId));
  }

  /** Kinesis throttled entries of this shard: slow it down. */
  throttled(shardId: string): void {
    this.bucket(shardId).throttled(this.clock.now());
  }

  /** Kinesis took entries of this shard without throttling any: probe up. */
  succeeded(shardId: string): void {
    this.bucket(shardId).succeeded(this.clock.now());
  }

  /** The share of the limits the shard is allowed now (1 = the limits). */
  rateOf(shardId: string): number {
    return this.bucket(shardId).rate;
  }
}
