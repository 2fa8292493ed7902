import { findRunningLake, readRunningLake, type RunningLake } from '@lakehouse/local';
import { LakehouseError } from '@lakehouse/runtime';
import type { LakeSummary } from '../report/summary';

/** How often the lake's file is read again while sending: the records it says are delivered need no watching. */
const READ_EVERY_MS = 500;

/**
 * What a running lake:up has not yet delivered of the records this send stored in its stream. Each stored record is
 * kept (its shard and sequence number) until the lake's `lakehouse.json` says its shard is delivered past it, so what
 * is kept stays about one buffer's worth. If the lake dies before delivering them, `undelivered` says how many.
 */
export class LakeWatch {
  /** Per shard: sequence numbers of stored entries not yet known delivered, with how many records each holds. */
  private readonly pending = new Map<string, Array<{ sequence: bigint; records: number }>>();
  /** The lake's file as last read while its process was the one the send started with. */
  private last: RunningLake;
  private reading: Promise<unknown> | undefined;
  private readAt = 0;

  constructor(
    readonly file: string,
    lake: RunningLake,
  ) {
    this.last = lake;
  }

  /** The lake:up the send started with. */
  get lake(): RunningLake {
    return this.last;
  }

  /** Records of this send the lake stored. */
  stored(entries: ReadonlyArray<{ shardId: string; sequenceNumber: string; records: number }>): void {
    for (const { shardId, sequenceNumber, records } of entries) {
      let shard = this.pending.get(shardId);
      if (!shard) this.pending.set(shardId, (shard = []));
      shard.push({ sequence: BigInt(sequenceNumber), records });
    }
    if (Date.now() - this.readAt >= READ_EVERY_MS) this.reading ??= this.read().finally(() => (this.reading = undefined));
  }

  /** Reads the lake's file again (when it is still the same lake's) and forgets what it says is delivered. */
  async read(): Promise<RunningLake | undefined> {
    this.readAt = Date.now();
    const now = await readRunningLake(this.file);
    if (now?.pid !== this.last.pid) return now;
    this.last = now;
    for (const [shardId, entries] of this.pending) {
      const delivered = now.delivered?.[shardId];
      if (delivered === undefined) continue;
      const upTo = BigInt(delivered);
      this.pending.set(
        shardId,
        entries.filter((e) => e.sequence > upTo),
      );
    }
    return now;
  }

  /** Records this send stored that the lake had not delivered as last known. */
  undelivered(): number {
    let n = 0;
    for (const entries of this.pending.values()) for (const e of entries) n += e.records;
    return n;
  }
}

/**
 * Where the records sent to a lake:up are at the end of the run. A lake:up killed (its file left behind, its process
 * gone) with records of this send not yet delivered: with its stream on disk (--persist) they are delivered at its
 * next start, and the summary says how many; with its stream in memory they are lost, and the error says how many,
 * instead of the summary. A lake:up stopped with Ctrl-C (its file removed) or restarted is named as before.
 */
export async function runningLakeOutcome(watch: LakeWatch, query: string): Promise<{ lake?: LakeSummary; error?: LakehouseError }> {
  const { pid } = watch.lake;
  const now = await findRunningLake(watch.file);
  if (now) return { lake: { kind: 'running', pid: now.pid, ...(now.pid === pid ? {} : { previousPid: pid }), query } };
  const killed = (await watch.read())?.pid === pid;
  const undelivered = killed ? watch.undelivered() : 0;
  // A lake that did not say whether it persists (an older kit's) can't be judged.
  const { persist } = watch.lake;
  if (undelivered === 0 || persist !== false) return { lake: { kind: 'stopped', pid, query, ...(undelivered > 0 ? { undelivered } : {}) } };
  const error = new LakehouseError(
    'lakehouse',
    `the lake:up that took them (pid ${pid}) died before delivering ${undelivered.toLocaleString('en-US')} of the records this send had put, and its stream was in memory: they are lost; start lake:up with --persist to keep its stream across a crash`,
  );
  return { error };
}
