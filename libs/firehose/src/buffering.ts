import type { BufferingHints } from '@lakehouse/pipeline';

const MIB = 1024 * 1024;

/** Buffering hints in the units the delivery counts in. */
export interface BufferingLimits {
  /** Bytes of incoming record data (before conversion) that trigger a delivery. */
  sizeBytes: number;
  /** How long the first record may wait in the buffer. */
  intervalMillis: number;
}

export function bufferingLimits(hints: BufferingHints): BufferingLimits {
  return { sizeBytes: hints.sizeMiB * MIB, intervalMillis: hints.intervalSeconds * 1000 };
}

export type FlushReason = 'size' | 'interval';

export interface BufferState {
  records: number;
  bytes: number;
  /** When the first record of the current buffer came in (epoch ms); undefined while empty. */
  openedAtMillis: number | undefined;
}

/**
 * Firehose delivers when either hint is reached, whichever comes first: the buffered data reaches the size
 * hint, or the interval has passed since the buffer's first record came in. An empty buffer never delivers.
 */
export function flushReason(state: BufferState, limits: BufferingLimits, nowMillis: number): FlushReason | undefined {
  if (state.records === 0 || state.openedAtMillis === undefined) return undefined;
  if (state.bytes >= limits.sizeBytes) return 'size';
  if (nowMillis - state.openedAtMillis >= limits.intervalMillis) return 'interval';
  return undefined;
}

/** When the interval hint will fire for the current buffer (epoch ms), or undefined while it is empty. */
export function intervalDueAt(state: BufferState, limits: BufferingLimits): number | undefined {
  return state.openedAtMillis === undefined ? undefined : state.openedAtMillis + limits.intervalMillis;
}

/** One delivery stream's buffer: records in arrival order, with the counters the buffering decision needs. */
export class RecordBuffer<T> {
  private items: T[] = [];
  private bytes = 0;
  private openedAtMillis: number | undefined;

  constructor(readonly limits: BufferingLimits) {}

  get state(): BufferState {
    return { records: this.items.length, bytes: this.bytes, openedAtMillis: this.openedAtMillis };
  }

  /** Adds one record of `bytes` incoming bytes; returns why the buffer must now be delivered, if it must. */
  add(item: T, bytes: number, nowMillis: number): FlushReason | undefined {
    if (this.items.length === 0) this.openedAtMillis = nowMillis;
    this.items.push(item);
    this.bytes += bytes;
    return flushReason(this.state, this.limits, nowMillis);
  }

  /** Why the buffer must be delivered at `nowMillis`, if it must. */
  due(nowMillis: number): FlushReason | undefined {
    return flushReason(this.state, this.limits, nowMillis);
  }

  /** Empties the buffer, returning what it held. */
  take(): { items: T[]; bytes: number; openedAtMillis: number | undefined } {
    const taken = { items: this.items, bytes: this.bytes, openedAtMillis: this.openedAtMillis };
    this.items = [];
    this.bytes = 0;
    this.openedAtMillis = undefined;
    return taken;
  }
}
