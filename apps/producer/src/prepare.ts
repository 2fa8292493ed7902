import { formatProblems, validate as validateEvent, type EventRecord, type Validation } from '@lakehouse/schema';
import { entrySize, PUT_RECORDS_LIMITS, sizeProblem, type Entry } from './batching';
import type { SourceItem } from './source';
import type { Tally } from './tally';

export type OnInvalid = 'fail' | 'skip';

export interface PrepareOptions {
  /** The record field whose value is the partition key. */
  partitionKey: keyof EventRecord;
  /** Stop at the first refused record (`fail`) or count it and go on (`skip`). */
  onInvalid: OnInvalid;
  /** How refusals name a record: `line 7` for input, `record 7` for generated ones. */
  noun: 'line' | 'record';
  tally: Tally;
  /** Told about each refused record, in one line naming it, the field and the reason. */
  onRejected: (message: string) => void;
  validate?: (input: unknown) => Validation<EventRecord>;
}

/** Checks one item and makes it an entry, or says in one line why it can't be sent. */
export function prepareItem(
  item: SourceItem,
  partitionKey: keyof EventRecord,
  validate: (input: unknown) => Validation<EventRecord> = validateEvent,
): { ok: true; entry: Entry } | { ok: false; problem: string } {
  if ('problem' in item) return { ok: false, problem: item.problem };
  const result = validate(item.value);
  if (!result.ok) return { ok: false, problem: formatProblems(result.problems) };
  const key = String(result.record[partitionKey]);
  if (key.length === 0 || key.length > PUT_RECORDS_LIMITS.maxPartitionKeyChars) {
    return { ok: false, problem: `${partitionKey}: a partition key needs 1 to ${PUT_RECORDS_LIMITS.maxPartitionKeyChars} characters, got ${key.length}` };
  }
  const json = JSON.stringify(result.record);
  const size = entrySize(json, key);
  const tooBig = sizeProblem(size);
  return tooBig ? { ok: false, problem: tooBig } : { ok: true, entry: { json, partitionKey: key, size } };
}

/**
 * Validates every record against libs/schema and sizes it for Kinesis; what fails is never sent,
 * is reported with its number, field and reason, and either stops the stream or is counted and skipped.
 */
export async function* prepareEntries(source: AsyncIterable<SourceItem[]>, options: PrepareOptions): AsyncGenerator<Entry[]> {
  const { partitionKey, onInvalid, noun, tally, onRejected, validate } = options;
  for await (const chunk of source) {
    const entries: Entry[] = [];
    for (const item of chunk) {
      tally.requested++;
      const prepared = prepareItem(item, partitionKey, validate);
      if (prepared.ok) {
        entries.push(prepared.entry);
        continue;
      }
      tally.rejected++;
      onRejected(`${noun} ${item.at}: ${prepared.problem}`);
      if (onInvalid === 'fail') {
        tally.stoppedBy = `stopped at ${noun} ${item.at}, which is invalid (--on-invalid fail); pass --on-invalid skip to send the valid ones`;
        if (entries.length > 0) yield entries;
        return;
      }
    }
    if (entries.length > 0) yield entries;
  }
}
