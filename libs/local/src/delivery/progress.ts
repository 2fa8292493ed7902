/**
 * Where each shard's reading may resume, when buffers are delivered out of reading order (dynamic partitioning:
 * one buffer per partition). Pure bookkeeping, no I/O.
 *
 * Every Kinesis record read is queued per shard with the number of its items still buffered; a delivery settles
 * its items; the shard's saved position (the watermark) is the last record before the first one not fully settled.
 * Records after the watermark that are delivered already are found again on a restart by their partition's
 * position (see `PartitionPositions`) and skipped.
 */
export class ReadProgress {
  private readonly shards = new Map<
    string,
    { queue: Array<{ seq: string; outstanding: number }>; head: number; bySeq: Map<string, { seq: string; outstanding: number }> }
  >();

  /** A Kinesis record was read; `items` of it went into buffers (0 when all of it was delivered before a restart). */
  read(shardId: string, seq: string, items: number): void {
    let shard = this.shards.get(shardId);
    if (!shard) {
      shard = { queue: [], head: 0, bySeq: new Map() };
      this.shards.set(shardId, shard);
    }
    const entry = { seq, outstanding: items };
    shard.queue.push(entry);
    shard.bySeq.set(seq, entry);
  }

  /**
   * Items of these records are delivered; returns the shards whose watermark moved, with the new watermark (any
   * shard: records read with no item to deliver, skipped after a restart, are passed here too).
   */
  settle(items: ReadonlyArray<{ shardId: string; sequenceNumber: string }>): Record<string, string> {
    for (const { shardId, sequenceNumber } of items) {
      const entry = this.shards.get(shardId)?.bySeq.get(sequenceNumber);
      if (entry) entry.outstanding--;
    }
    const moved: Record<string, string> = {};
    for (const [shardId, shard] of this.shards) {
      let watermark: string | undefined;
      while (shard.head < shard.queue.length && (shard.queue[shard.head]?.outstanding ?? 1) <= 0) {
        const entry = shard.queue[shard.head++] as { seq: string };
        shard.bySeq.delete(entry.seq);
        watermark = entry.seq;
      }
      if (shard.head > 1024 && shard.head * 2 > shard.queue.length) {
        shard.queue = shard.queue.slice(shard.head);
        shard.head = 0;
      }
      if (watermark !== undefined) moved[shardId] = watermark;
    }
    return moved;
  }
}

/** Partition id → shard id → the last position delivered for that partition: `seq`, or `seq:sub` for a KPL user record. */
export type PartitionPositions = Record<string, Record<string, string>>;

/** Compares two positions (`seq` or `seq:sub`); a whole record (`seq`) counts as after all its user records. */
export function comparePositions(a: string, b: string): number {
  const [aSeq = '', aSub] = a.split(':');
  const [bSeq = '', bSub] = b.split(':');
  const seq = BigInt(aSeq) - BigInt(bSeq);
  if (seq !== 0n) return seq < 0n ? -1 : 1;
  const subA = aSub === undefined ? Number.POSITIVE_INFINITY : Number(aSub);
  const subB = bSub === undefined ? Number.POSITIVE_INFINITY : Number(bSub);
  return subA === subB ? 0 : subA < subB ? -1 : 1;
}

export const positionOf = (sequenceNumber: string, subSequenceNumber: number | undefined): string =>
  subSequenceNumber === undefined ? sequenceNumber : `${sequenceNumber}:${subSequenceNumber}`;

/** Merges `update` into `positions` (keeping the later of each), then drops what the shard watermarks cover. */
export function mergePartitionPositions(
  positions: PartitionPositions,
  update: PartitionPositions,
  watermarks: Readonly<Record<string, string>>,
): PartitionPositions {
  const merged: PartitionPositions = {};
  for (const source of [positions, update]) {
    for (const [partition, shards] of Object.entries(source)) {
      for (const [shardId, position] of Object.entries(shards)) {
        const target = (merged[partition] ??= {});
        const current = target[shardId];
        if (current === undefined || comparePositions(position, current) > 0) target[shardId] = position;
      }
    }
  }
  for (const [partition, shards] of Object.entries(merged)) {
    for (const [shardId, position] of Object.entries(shards)) {
      const watermark = watermarks[shardId];
      if (watermark !== undefined && comparePositions(position, watermark) <= 0) delete shards[shardId];
    }
    if (Object.keys(shards).length === 0) delete merged[partition];
  }
  return merged;
}
