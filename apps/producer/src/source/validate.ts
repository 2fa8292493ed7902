import { formatProblems, validate as validateEvent, type EventRecord, type Validation } from '@lakehouse/schema';
import { entrySize, PUT_RECORDS_LIMITS, sizeProblem, type Entry } from '../entry';
import type { OutcomeCounter } from '../outcome';
import type { SourceItem } from './items';

export type OnInvalid = 'fail' | 'skip';

export interface ValidateOptions {
  /** The record field whose value is the partition key. */
  partitionKey: keyof EventRecord;
  /** Stop at the first refused record (`fail`) or count it and go on (`skip`). */
  onInvalid: OnInvalid;
  /** How refusals name a record: `line 7` for input, `record 7` for generated ones. */
  noun: 'line' | 'record';
  /** Where refused records are counted, as `rejected` (the valid ones are counted by whoever takes them on). */
  tally: OutcomeCounter;
  /** Told about each refused record, in one line naming it, the field and the reason. */
  onRejected: (message: string) => void;
  /** Told why the records stop early (`--on-invalid fail` met an invalid one). */
  onStop: (reason: string) => void;
  validate?: (input: unknown) => Validation<EventRecord>;
}

/** Checks one item and makes it an entry, or says in one line why it can't be sent. */
export function toEntry(
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
export async function* validEntries(source: AsyncIterable<SourceItem[]>, options: ValidateOptions): AsyncGenerator<Entry[]> {
  const { partitionKey, onInvalid, noun, tally, onRejected, onStop, validate } = options;
  for await (const chunk of source) {
    const entries: Entry[] = [];
    for (const item of chunk) {
      const checked = toEntry(item, partitionKey, validate);
      if (checked.ok) {
        entries.push(checked.entry);
        continue;
      }
      tally.count({ kind: 'rejected', records: 1 });
      onRejected(`${noun} ${item.at}: ${checked.problem}`);
      if (onInvalid === 'fail') {
        onStop(`stopped at ${noun} ${item.at}, which is invalid (--on-invalid fail); pass --on-invalid skip to send the valid ones`);
        if (entries.length > 0) yield entries;
        return;
      }
    }
    if (entries.length > 0) yield entries;
  }
}
