import type { EventRecord } from '@lakehouse/schema';

/** One record to send, before validation: a parsed input line or a generated record, numbered from 1. */
export type SourceItem = { at: number; value: unknown } | { at: number; problem: string };

/** Records travel in chunks (up to one PutRecords request's worth), so per-record async overhead stays out of the hot path. */
export const CHUNK_RECORDS = 500;

/** `amount` generated records (or unlimited), in chunks, made only as fast as they are consumed. */
export async function* generatedItems(generate: () => EventRecord, amount = Number.POSITIVE_INFINITY): AsyncGenerator<SourceItem[]> {
  let made = 0;
  while (made < amount) {
    const size = Math.min(CHUNK_RECORDS, amount - made);
    const chunk: SourceItem[] = new Array(size);
    for (let i = 0; i < size; i++) chunk[i] = { at: ++made, value: generate() };
    yield chunk;
  }
}

/** At most `amount` items of a chunked source. */
export async function* take<T>(source: AsyncIterable<T[]>, amount: number): AsyncGenerator<T[]> {
  let left = amount;
  if (left <= 0) return;
  for await (const chunk of source) {
    yield chunk.length <= left ? chunk : chunk.slice(0, left);
    left -= chunk.length;
    if (left <= 0) return;
  }
}
