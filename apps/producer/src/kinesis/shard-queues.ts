import { PUT_RECORDS_LIMITS, type Entry } from '../entry';
import { plainEntry, type PutEntry } from './put-entry';
import { AGGREGATE_MAX_BYTES, AggregateSizer, type KplAggregator } from './kpl';
import type { ShardDirectory } from './shard-map';
import type { ShardNeed, ShardPacer } from './shard-pacer';

/** The queue of records with no shard: there is no map (nothing to pace or group by), or it has a gap for them. */
const NO_SHARD = '';

/** A first-in first-out queue of one shard's records, read by offset before they are taken. */
class Fifo {
  private items: Entry[] = [];
  private head = 0;
  bytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(offset: number): Entry {
    return this.items[this.head + offset] as Entry;
  }

  push(entry: Entry): void {
    this.items.push(entry);
    this.bytes += entry.size;
  }

  /** Removes the first `count` records. */
  shift(count: number): void {
    for (let i = 0; i < count; i++) this.bytes -= this.at(i).size;
    this.head += count;
    if (this.head > 1_024 && this.head * 2 > this.items.length) [this.items, this.head] = [this.items.slice(this.head), 0];
  }

  drain(): Entry[] {
    const rest = this.items.slice(this.head);
    [this.items, this.head, this.bytes] = [[], 0, 0];
    return rest;
  }
}

/** User records that go out as one Kinesis record (one record, or an aggregate), to one shard. */
interface Planned {
  shardId: string;
  entries: Entry[];
  size: number;
}

/** A batch planned from the queues, not yet taken: taken with `commit`, or dropped and planned again later. */
export interface Draw {
  planned: Planned[];
  bytes: number;
  /** User records the batch would take: fewer than are queued when a request's room or a shard's pacing held some back. */
  records: number;
  /** A shard sent all it had queued: more records could fill the request further (pacing alone would not). */
  starved: boolean;
  /** As big as one PutRecords request takes (500 records or 5 MiB): it should go at once. */
  full: boolean;
  /** When nothing could be planned for pacing: milliseconds until a shard can take its next record. */
  waitMs: number;
}

export interface QueueOptions {
  /** Routes records to their shards: needed to pace and to aggregate. */
  shards?: ShardDirectory;
  /** Keeps each shard under its limits. */
  pacer?: ShardPacer;
  /** Packs each shard's records into KPL aggregates (--aggregate). */
  aggregator?: KplAggregator;
}

type ShardOutcome = 'room' | 'pacing' | 'empty';
const UNLIMITED = { records: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY, full: true };

/**
 * The records taken from the source and not yet in a request, one queue per shard, as the KPL holds them. A batch
 * draws from every shard what its pacing allows, in turn, up to one request (500 records, 5 MiB); with an
 * aggregator, each shard's records are packed into aggregates as they are drawn, so an aggregate only ever holds
 * records of one shard. When the shard map changes (a reshard), the queued records are routed again.
 */
export class ShardQueues {
  private readonly queues = new Map<string, Fifo>();
  private version: number;
  private turn = 0;
  records = 0;
  bytes = 0;
  /** When the queues last went from empty to holding records. */
  oldestAt: number | undefined;

  constructor(private readonly options: QueueOptions = {}) {
    this.version = options.shards?.version ?? 0;
  }

  /** Enough is queued for two full requests: the source is not read further until some of it goes. */
  get saturated(): boolean {
    const records = this.options.aggregator ? 40 * PUT_RECORDS_LIMITS.maxRecords : 2 * PUT_RECORDS_LIMITS.maxRecords;
    return this.records >= records || this.bytes >= 2 * PUT_RECORDS_LIMITS.maxRequestBytes;
  }

  push(entries: readonly Entry[], now: number): void {
    if (entries.length === 0) return;
    if (this.records === 0) this.oldestAt = now;
    for (const entry of entries) this.queueOf(this.options.shards?.shardOf(entry.partitionKey) ?? NO_SHARD).push(entry);
    this.records += entries.length;
    for (const entry of entries) this.bytes += entry.size;
  }

  /** Plans the next batch from what each shard may take now; changes nothing. */
  plan(): Draw {
    this.rerouteIfStale();
    const draw: Draw = { planned: [], bytes: 0, records: 0, starved: false, full: false, waitMs: Number.POSITIVE_INFINITY };
    const shardIds = [...this.queues.keys()];
    for (let k = 0; k < shardIds.length; k++) {
      const shardId = shardIds[(this.turn + k) % shardIds.length] as string;
      const queue = this.queues.get(shardId) as Fifo;
      if (queue.length === 0) continue;
      const outcome = this.planShard(queue, shardId, draw);
      if (outcome === 'room') return { ...draw, full: true, waitMs: 0 };
      if (outcome === 'pacing') draw.waitMs = Math.min(draw.waitMs, this.msUntilNext(queue, shardId));
      else draw.starved = true;
    }
    if (draw.planned.length === 0) return draw;
    return { ...draw, full: draw.planned.length >= PUT_RECORDS_LIMITS.maxRecords, waitMs: 0 };
  }

  /** Takes a planned batch out of the queues (and its share of each shard's pacing): the request's entries. */
  commit(draw: Draw): PutEntry[] {
    const taken = new Map<string, { records: number; bytes: number }>();
    for (const { shardId, size } of draw.planned) {
      const share = taken.get(shardId) ?? { records: 0, bytes: 0 };
      taken.set(shardId, { records: share.records + 1, bytes: share.bytes + size });
    }
    const held = new Set<string>();
    for (const [shardId, share] of taken) if (shardId !== NO_SHARD && this.options.pacer?.take(shardId, share.records, share.bytes)) held.add(shardId);
    const entries = draw.planned.map(({ shardId, entries: records }) => {
      (this.queues.get(shardId) as Fifo).shift(records.length);
      this.records -= records.length;
      this.bytes -= records.reduce((sum, r) => sum + r.size, 0);
      const entry = this.entryOf(records, shardId);
      if (held.has(shardId)) entry.held = true;
      return entry;
    });
    if (this.records === 0) this.oldestAt = undefined;
    this.turn++;
    return entries;
  }

  /** Every queued record, taken out (a consumer that stopped early hands them to the dead-letter file). */
  drain(): Entry[] {
    const rest = [...this.queues.values()].flatMap((queue) => queue.drain());
    [this.records, this.bytes, this.oldestAt] = [0, 0, undefined];
    return rest;
  }

  private queueOf(shardId: string): Fifo {
    let queue = this.queues.get(shardId);
    if (!queue) this.queues.set(shardId, (queue = new Fifo()));
    return queue;
  }

  private entryOf(records: Entry[], shardId: string): PutEntry {
    const shard = shardId === NO_SHARD ? undefined : shardId;
    return this.options.aggregator && shard !== undefined ? this.options.aggregator.build(records, shard) : plainEntry(records[0] as Entry, shard);
  }

  /** After a reshard: every queued record goes to the queue of its shard in the new map (each key's order kept). */
  private rerouteIfStale(): void {
    const shards = this.options.shards;
    if (!shards || shards.version === this.version) return;
    this.version = shards.version;
    const rest = [...this.queues.values()].flatMap((queue) => queue.drain());
    this.queues.clear();
    for (const entry of rest) this.queueOf(shards.shardOf(entry.partitionKey) ?? NO_SHARD).push(entry);
  }

  /** Plans what one shard may send now into the draw: 'room' when the request is full, 'pacing' when the shard is. */
  private planShard(queue: Fifo, shardId: string, draw: Draw): ShardOutcome {
    const pacer = shardId === NO_SHARD ? undefined : this.options.pacer;
    const allowance = pacer ? pacer.allowance(shardId) : UNLIMITED;
    const aggregate = this.options.aggregator !== undefined && shardId !== NO_SHARD;
    const cap = Math.min(AGGREGATE_MAX_BYTES, pacer?.limits.bytesPerSecond ?? Number.POSITIVE_INFINITY);
    let [records, bytes, offset] = [allowance.records, allowance.bytes, 0];
    while (offset < queue.length) {
      if (draw.planned.length >= PUT_RECORDS_LIMITS.maxRecords) return 'room';
      const room = PUT_RECORDS_LIMITS.maxRequestBytes - draw.bytes;
      const next = aggregate ? packAggregate(queue, offset, Math.min(cap, room)) : single(queue, offset);
      if (next.size > room) return 'room';
      // A record larger than a second of the shard's bytes goes when its buckets are full (then they owe it).
      const paced = records >= 1 && (next.size <= bytes || (allowance.full && offset === 0));
      if (!paced) return 'pacing';
      draw.planned.push({ shardId, ...next });
      draw.bytes += next.size;
      draw.records += next.entries.length;
      [records, bytes, offset] = [records - 1, bytes - next.size, offset + next.entries.length];
    }
    return 'empty';
  }

  /** How long until the shard can take its next Kinesis record (a record, or an aggregate of what is queued). */
  private msUntilNext(queue: Fifo, shardId: string): number {
    const pacer = this.options.pacer as ShardPacer;
    const cap = Math.min(AGGREGATE_MAX_BYTES, pacer.limits.bytesPerSecond);
    const need: ShardNeed = { records: 1, bytes: (this.options.aggregator ? packAggregate(queue, 0, cap) : single(queue, 0)).size };
    return pacer.msUntil(shardId, need);
  }
}

function single(queue: Fifo, offset: number): { entries: Entry[]; size: number } {
  const entry = queue.at(offset);
  return { entries: [entry], size: entry.size };
}

/** The longest run of queued records from `offset` whose aggregate fits `cap`; a record over it alone goes as it is. */
function packAggregate(queue: Fifo, offset: number, cap: number): { entries: Entry[]; size: number } {
  const sizer = new AggregateSizer();
  const entries: Entry[] = [];
  for (let i = offset; i < queue.length; i++) {
    const entry = queue.at(i);
    if (sizer.sizeWith(entry) > cap) break;
    sizer.add(entry);
    entries.push(entry);
  }
  if (entries.length <= 1) return single(queue, offset);
  return { entries, size: sizer.size };
}
