import { describe, expect, it } from 'vitest';
import { batchFilter, batchInput, batchOutcomes } from './jq';
import { partitionId, partitionKeysOf } from './partition-keys';

const NAMES = ['year', 'month'];

describe('partition keys from the MetadataExtraction query’s outcome', () => {
  it.each([
    [
      { ok: true, values: [{ year: '2026', month: '11', extra: 1 }] },
      { ok: true, keys: { year: '2026', month: '11' } },
    ],
    [{ ok: false, error: 'Cannot index number with "event_date"' }, /JQ query failed: Cannot index number/],
    [{ ok: true, values: [] }, /yielded 0 values/],
    [
      {
        ok: true,
        values: [
          { year: '2026', month: '11' },
          { year: '2026', month: '12' },
        ],
      },
      /yielded 2 values/,
    ],
    [{ ok: true, values: ['2026'] }, /yielded "2026"; it must yield a JSON object/],
    [{ ok: true, values: [{ year: '2026' }] }, /"month" is missing/],
    [{ ok: true, values: [{ year: '2026', month: null }] }, /"month" is missing/],
    [{ ok: true, values: [{ year: 2026, month: '11' }] }, /"year" is 2026, not a string/],
  ] as const)('%j → %s', (outcome, expected) => {
    const extraction = partitionKeysOf(outcome as never, NAMES);
    if (expected instanceof RegExp) {
      expect(extraction).toMatchObject({ ok: false, errorCode: 'DynamicPartitioning.MetadataExtractionFailed' });
      if (!extraction.ok) expect(extraction.errorMessage).toMatch(expected);
    } else {
      expect(extraction).toEqual(expected);
    }
  });

  it('names one partition per distinct key values, in the prefix’s order', () => {
    expect(partitionId({ month: '11', year: '2026' }, NAMES)).toBe('["2026","11"]');
    expect(partitionId({ year: '2026', month: '11' }, NAMES)).toBe(partitionId({ month: '11', year: '2026' }, NAMES));
  });
});

describe('one jq call for many records', () => {
  it('passes each record as a JSON string that jq parses itself, inside try', () => {
    expect(batchFilter('.a')).toBe('try ({values: [fromjson | (.a)]}) catch {error: (. | if type == "string" then . else tojson end)}');
    expect(batchInput(['{"a":1}', 'not "json"'])).toBe('"{\\"a\\":1}"\n"not \\"json\\""');
  });

  it('reads one outcome a line, and refuses an answer of the wrong length', () => {
    expect(batchOutcomes('{"values":[1]}\n{"error":"boom"}\n', 2)).toEqual([
      { ok: true, values: [1] },
      { ok: false, error: 'boom' },
    ]);
    expect(() => batchOutcomes('{"values":[1]}', 2)).toThrow(/1 lines for 2 records/);
  });
});
