import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createValidator, describeExpectation, formatProblems, preview, validate } from './validate';
import { eventRecordSchema } from './event-record';
import { EXAMPLE_EVENT } from './testing';

const good = EXAMPLE_EVENT;

describe('validate: a good record', () => {
  it('returns the typed record', () => {
    expect(validate(good)).toEqual({ ok: true, record: good });
  });
});

// field, value, accepted?
const FIELD_CASES: Array<[keyof typeof good, unknown, boolean]> = [
  ['uuid', '276d9ff1-643f-4c0d-a155-1a4f8dbc6f35', true],
  ['uuid', 'not-a-uuid', false],
  ['uuid', '', false],
  ['uuid', 123, false],
  ['event_date', '2022-02-02T15:17:07Z', true],
  ['event_date', '2022-02-02T15:17:07.618098Z', true],
  ['event_date', '2022-02-02T15:17:07.618098', false], // local time with no zone: the original producer's bug
  ['event_date', '2022-02-02T15:17:07+01:00', false],
  ['event_date', '2022-02-30T15:17:07Z', false],
  ['event_date', 1643815027, false],
  ['status', 'Active', true],
  ['status', 'Canceled', true],
  ['status', 'active', false],
  ['status', 'Cancelled', false],
  ['name', 'Jo', true],
  ['name', '', false],
  ['name', null, false],
  ['last_name', "O'Neil", true],
  ['last_name', '', false],
  ['last_name', 7, false],
  ['email', 'xnash@example.com', true],
  ['email', 'xnash', false],
  ['email', 'x@y', false],
  ['phone', 900000000, true],
  ['phone', 999999999, true],
  ['phone', 899999999, false],
  ['phone', 1000000000, false],
  ['phone', 910322509.5, false],
  ['phone', '910322509', false],
  ['phone', '12ab', false],
];

describe.each(FIELD_CASES)('validate: %s = %j', (field, value, accepted) => {
  it(accepted ? 'is accepted' : 'is refused with that field named', () => {
    const result = validate({ ...good, [field]: value });
    expect(result.ok).toBe(accepted);
    if (!result.ok) {
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]?.path).toBe(field);
      expect(result.problems[0]?.reason).toMatch(/^expected .+, got .+$/);
    }
  });
});

describe('validate: messages a person can act on', () => {
  it.each([
    [{ ...good, phone: '12ab' }, 'phone: expected an integer from 900000000 to 999999999, got "12ab"'],
    [{ ...good, status: 'Gone' }, 'status: expected one of Active, Inactive, Canceled, got "Gone"'],
    [{ ...good, name: '' }, 'name: expected a non-empty string, got ""'],
    [{ ...good, email: 'nope' }, 'email: expected an email address, got "nope"'],
    [{ ...good, uuid: 'x' }, 'uuid: expected a UUID, got "x"'],
    [
      { ...good, event_date: '2022-02-02T15:17:07.618098' },
      'event_date: expected an ISO 8601 timestamp in UTC ending in Z (as toISOString() gives), got "2022-02-02T15:17:07.618098"',
    ],
    [{ ...good, extra: 1 }, 'extra: unknown field, not in the schema'],
  ])('%j -> %s', (input, message) => {
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatProblems(result.problems)).toBe(message);
  });

  it('reports a missing field as missing', () => {
    const { phone: _phone, ...withoutPhone } = good;
    const result = validate(withoutPhone);
    expect(result).toEqual({
      ok: false,
      problems: [{ path: 'phone', reason: 'expected an integer from 900000000 to 999999999, got nothing (the field is missing)' }],
    });
  });

  it('reports every bad field, one problem each', () => {
    const result = validate({ ...good, phone: 'x', email: 'y', status: 'z' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path).sort()).toEqual(['email', 'phone', 'status']);
  });

  it.each([[null], [[1, 2]], ['text'], [42]])('refuses %j as a record', (input) => {
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('(record)');
  });
});

describe('describeExpectation', () => {
  it.each([
    [{ type: 'integer', minimum: 1, maximum: 2 }, 'an integer from 1 to 2'],
    [{ type: 'integer', minimum: 1 }, 'an integer of at least 1'],
    [{ type: 'number', exclusiveMinimum: 0 }, 'a number greater than 0'],
    [{ type: 'number', minimum: 0, exclusiveMaximum: 5 }, 'a number of at least 0 and less than 5'],
    [{ type: 'number', exclusiveMinimum: 0, maximum: 5 }, 'a number greater than 0 and at most 5'],
    [{ type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }, 'an integer'],
    [{ type: 'number' }, 'a number'],
    [{ type: 'boolean' }, 'true or false'],
    [{ type: 'string' }, 'a string'],
    [{ type: 'string', minLength: 2, maxLength: 5 }, 'a string of 2 to 5 characters'],
    [{ type: 'string', format: 'date' }, 'a date as YYYY-MM-DD'],
    [{ type: 'string', enum: ['a', 'b'] }, 'one of a, b'],
  ])('%j -> %s', (property, words) => {
    expect(describeExpectation(property)).toBe(words);
  });
});

describe('preview', () => {
  it('shortens long values', () => {
    expect(preview('x'.repeat(100))).toHaveLength(61);
  });
  it('names a missing value', () => {
    expect(preview(undefined)).toBe('nothing (the field is missing)');
  });
});

describe('validate: bounds as zod writes them', () => {
  // A message must not tell someone that a value which meets it is wrong ("expected a number, got -1").
  it.each([
    ['z.number().positive()', z.number().positive(), -1, 'expected a number greater than 0, got -1'],
    ['z.int().positive()', z.int().positive(), 0, 'expected an integer greater than 0, got 0'],
    ['z.int().min(5)', z.int().min(5), 4, 'expected an integer of at least 5, got 4'],
    ['z.int()', z.int(), 1.5, 'expected an integer, got 1.5'],
  ] as const)('%s', (_label, type, value, reason) => {
    expect(createValidator(z.strictObject({ f: type }))({ f: value })).toEqual({ ok: false, problems: [{ path: 'f', reason }] });
  });
});

describe('createValidator', () => {
  it('validates with the schema it was given', () => {
    const strictPhone = createValidator(eventRecordSchema.pick({ phone: true }));
    expect(strictPhone({ phone: 912345678 }).ok).toBe(true);
    expect(strictPhone({ phone: 912345678, uuid: good.uuid }).ok).toBe(false);
  });
});
