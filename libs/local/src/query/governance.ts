import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvHeader, csvLine, JSON_ARRAY, jsonElement, type QueryResult } from '@lakehouse/console-api';
import { LakehouseError } from '@lakehouse/runtime';
import type { QueryEngine, RowSink, StreamedQuery } from './engine';

export { QUERY_LIMITS } from '../defaults';

export interface QueryLimits {
  timeoutSeconds: number;
  memoryMiB: number;
}

/** The one line of a query stopped at its time limit. */
export const timeoutError = (seconds: number) =>
  new LakehouseError('query', `the query ran past its time limit of ${seconds} s and was stopped (--query-timeout SECONDS sets the limit)`);

/** Output formats that stream every row as text. */
export type TextFormat = 'csv' | 'json';

/** Writes, waiting for the stream to drain when its buffer is full (backpressure): memory stays that of a chunk. */
export async function writeWithBackpressure(out: Writable, text: string): Promise<void> {
  if (text === '' || out.write(text)) return;
  if (out.destroyed) throw new LakehouseError('interrupted', 'the output was closed');
  await once(out, 'drain');
}

/**
 * A sink that writes the rows as CSV or JSON text, exactly as `csvText` / `jsonText` write them whole (no line end
 * after the last row), with backpressure.
 */
export function textSink(format: TextFormat, out: Writable): RowSink & { end(): Promise<void> } {
  let columns: QueryResult['columns'] = [];
  let rowsWritten = 0;
  return {
    columns: async (names) => {
      columns = names;
      if (format === 'csv') await writeWithBackpressure(out, csvHeader(columns));
    },
    rows: async (rows) => {
      const pieces = rows.map((row) => (format === 'csv' ? `\n${csvLine(columns, row)}` : jsonElement(columns, row)));
      const text = format === 'csv' ? pieces.join('') : `${rowsWritten === 0 ? JSON_ARRAY.start : JSON_ARRAY.separator}${pieces.join(JSON_ARRAY.separator)}`;
      rowsWritten += rows.length;
      await writeWithBackpressure(out, text);
    },
    end: () => writeWithBackpressure(out, format === 'json' ? (rowsWritten === 0 ? JSON_ARRAY.empty : JSON_ARRAY.end) : ''),
  };
}

/**
 * Runs `work` on the engine under a time limit and a stop signal: either interrupts DuckDB's query, which then fails
 * with the limit's line or the signal's reason (a LakehouseError).
 */
export async function governed<T>(
  engine: QueryEngine,
  limits: { timeoutSeconds: number; signal?: AbortSignal },
  work: (engine: QueryEngine) => Promise<T>,
): Promise<T> {
  const { timeoutSeconds, signal } = limits;
  const timer = setTimeout(() => engine.interrupt(timeoutError(timeoutSeconds)), timeoutSeconds * 1000);
  const stop = () => engine.interrupt(signal?.reason instanceof LakehouseError ? signal.reason : new LakehouseError('interrupted', 'the query was stopped'));
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await work(engine);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

/** A query's rows to `out` as CSV or JSON text, streamed with backpressure. */
export async function streamText(engine: QueryEngine, sql: string, format: TextFormat, out: Writable): Promise<StreamedQuery> {
  const sink = textSink(format, out);
  const streamed = await engine.stream(sql, sink);
  await sink.end();
  return streamed;
}
