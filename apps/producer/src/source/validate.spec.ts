import { EXAMPLE_EVENT } from '@lakehouse/schema/testing';
import { describe, expect, it } from 'vitest';
import { Tally } from '../report/tally';
import type { SourceItem } from './items';
import { toEntry, validEntries } from './validate';

const good = EXAMPLE_EVENT;

describe('toEntry', () => {
  it('makes a valid record an entry keyed by its uuid, sized with the key', () => {
    const result = toEntry({ at: 1, value: good }, 'uuid');
    const json = JSON.stringify(good);
    expect(result).toEqual({ ok: true, entry: { json, partitionKey: good.uuid, size: json.length + good.uuid.length } });
  });

  it.each([
    ['phone', { ...good, phone: '12ab' }, 'phone: expected an integer from 900000000 to 999999999, got "12ab"'],
    ['an unknown field', { ...good, extra: 1 }, 'extra: unknown field, not in the schema'],
    ['local time', { ...good, event_date: '2022-02-02T15:17:07' }, /^event_date: expected an ISO 8601 timestamp in UTC/],
  ])('refuses %s, naming the field and reason', (_label, value, problem) => {
    const result = toEntry({ at: 1, value }, 'uuid');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });

  it('refuses a record over 1 MiB with its size', () => {
    const big = { ...good, name: 'x'.repeat(1024 * 1024) };
    const size = JSON.stringify(big).length + good.uuid.length;
    expect(size).toBeGreaterThan(1024 * 1024);
    expect(toEntry({ at: 1, value: big }, 'uuid')).toEqual({
      ok: false,
      problem: `record is ${size.toLocaleString('en-US')} bytes with its partition key; Kinesis takes at most 1,048,576 (1 MiB): make it smaller`,
    });
  });

  it.each([
    ['status', 'Inactive'],
    ['phone', '910322509'],
  ] as const)('keys by --partition-key %s', (field, key) => {
    const result = toEntry({ at: 1, value: good }, field);
    expect(result.ok && result.entry.partitionKey).toBe(key);
  });

  it.each([
    [256, true],
    [257, false],
  ])('a partition key of %i characters: accepted %s', (length, ok) => {
    const result = toEntry({ at: 1, value: { ...good, name: 'x'.repeat(length) } }, 'name');
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.problem).toBe('name: a partition key needs 1 to 256 characters, got 257');
  });

  it('passes on a problem found while parsing', () => {
    expect(toEntry({ at: 3, problem: 'not valid JSON (x)' }, 'uuid')).toEqual({ ok: false, problem: 'not valid JSON (x)' });
  });
});

async function run(items: SourceItem[], onInvalid: 'fail' | 'skip') {
  async function* source() {
    yield items.slice(0, 2);
    yield items.slice(2);
  }
  const tally = new Tally();
  const rejected: string[] = [];
  const sent: string[] = [];
  let stoppedBy: string | undefined;
  const options = {
    partitionKey: 'uuid',
    onInvalid,
    noun: 'line',
    tally,
    onRejected: (m: string) => rejected.push(m),
    onStop: (reason: string) => (stoppedBy = reason),
  } as const;
  for await (const chunk of validEntries(source(), options)) {
    // As the PutRecords loop does: the valid records count as requested when taken; validation counts the refused.
    tally.count({ kind: 'requested', records: chunk.length });
    sent.push(...chunk.map((e) => e.json));
  }
  return { tally, rejected, sent, stoppedBy };
}

describe('validEntries: --on-invalid', () => {
  const items: SourceItem[] = [
    { at: 1, value: good },
    { at: 2, value: { ...good, status: 'Gone' } },
    { at: 3, value: good },
    { at: 4, problem: 'not valid JSON (Unexpected token)' },
    { at: 5, value: good },
  ];

  it('fail: stops at the first invalid line; the lines before it go through', async () => {
    const { tally, rejected, sent, stoppedBy } = await run(items, 'fail');
    expect(rejected).toEqual(['line 2: status: expected one of Active, Inactive, Canceled, got "Gone"']);
    expect(sent).toHaveLength(1);
    expect([tally.requested, tally.rejected]).toEqual([2, 1]);
    expect(stoppedBy).toMatch(/^stopped at line 2, which is invalid/);
  });

  it('skip: reports and counts every invalid line, sends the rest', async () => {
    const { tally, rejected, sent, stoppedBy } = await run(items, 'skip');
    expect(rejected).toEqual(['line 2: status: expected one of Active, Inactive, Canceled, got "Gone"', 'line 4: not valid JSON (Unexpected token)']);
    expect(sent).toHaveLength(3);
    expect([tally.requested, tally.rejected, stoppedBy]).toEqual([5, 2, undefined]);
  });
});
