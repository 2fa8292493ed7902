import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '@lakehouse/runtime';
import type { Entry } from '../entry';
import { withEventTimeSpread } from '../event-time-spread';
import type { OutcomeCounter } from '../outcome';
import type { SendSettings } from '../options';
import { createRecordGenerator } from './generate';
import { generatedItems, take, type SourceItem } from './items';
import { ndjsonItems } from './ndjson';
import { paced, until } from './pacing';
import { validEntries } from './validate';

/** Where input is read from. */
export interface SourceIo {
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** The items of the settings' source: the generator, or an NDJSON file or stdin (checked before anything starts). */
async function openItems(settings: SendSettings, io: SourceIo): Promise<AsyncIterable<SourceItem[]>> {
  const { input, amount, seed, eventTimeSpreadMs } = settings;
  if (input === undefined) {
    const generate = createRecordGenerator(seed === undefined ? {} : { seed });
    const spread = { spreadMs: eventTimeSpreadMs ?? 0, ...(seed === undefined ? {} : { seed }) };
    return generatedItems(eventTimeSpreadMs === undefined ? generate : withEventTimeSpread(generate, spread), amount);
  }
  let stream: AsyncIterable<Buffer | string> = io.stdin as AsyncIterable<Buffer | string>;
  if (input !== '-') {
    const path = resolve(io.cwd, input);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw usageError(`--input ${input}: no such file; give an NDJSON file, or - for stdin`);
    stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  }
  const items = ndjsonItems(stream);
  return amount === undefined ? items : take(items, amount);
}

export interface EntryHooks {
  /** Ends the records early: Ctrl-C, a closed stdout, a fatal error while sending. */
  stop: AbortSignal;
  /** Where refused records are counted. */
  tally: OutcomeCounter;
  onRejected: (message: string) => void;
  onStop: (reason: string) => void;
}

/** The records of a run, validated and sized for Kinesis, paced (--rate) and cut short (--duration, `stop`) as asked. */
export async function openEntries(settings: SendSettings, io: SourceIo, hooks: EntryHooks): Promise<AsyncIterable<Entry[]>> {
  let items = await openItems(settings, io);
  if (settings.rate !== undefined) items = paced(items, settings.rate);
  items = until(items, { ...(settings.durationMs === undefined ? {} : { durationMs: settings.durationMs }), signal: hooks.stop });
  return validEntries(items, {
    partitionKey: settings.partitionKey,
    onInvalid: settings.onInvalid,
    noun: settings.input === undefined ? 'record' : 'line',
    tally: hooks.tally,
    onRejected: hooks.onRejected,
    onStop: hooks.onStop,
  });
}
