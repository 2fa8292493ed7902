import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { columnNameOf, glueColumns, jsonSerDeColumns, parquetColumns } from './columns';
import { eventRecordSchema } from './event-record';
import { EXAMPLE_EVENT } from './testing';
import { columnKindOf, fieldsOf } from './fields';
import { createValidator } from './validate';

describe('glueColumns', () => {
  it('types every event field and carries its description as a comment', () => {
    expect(glueColumns()).toEqual([
      { name: 'uuid', type: 'string', comment: 'Unique id of the event (UUID)' },
      { name: 'event_date', type: 'timestamp', comment: 'When the event happened, ISO 8601 in UTC' },
      { name: 'status', type: 'string', comment: 'Status of the account after the event' },
      { name: 'name', type: 'string', comment: 'First name' },
      { name: 'last_name', type: 'string', comment: 'Last name' },
      { name: 'email', type: 'string', comment: 'Email address' },
      { name: 'phone', type: 'bigint', comment: 'Phone number, 9 digits starting with 9' },
    ]);
  });

  it('cuts comments to Glue’s 255 characters', () => {
    const schema = z.strictObject({ a: z.string().describe('x'.repeat(300)) });
    expect(glueColumns(schema)[0]?.comment).toHaveLength(255);
  });
});

describe('parquetColumns', () => {
  it('gives the DuckDB and Parquet type of every event field', () => {
    expect(parquetColumns().map((c) => [c.name, c.duckdbType, c.parquetType, c.nullable])).toEqual([
      ['uuid', 'VARCHAR', 'BYTE_ARRAY (STRING)', false],
      ['event_date', 'TIMESTAMP', 'INT64 (TIMESTAMP_MICROS)', false],
      ['status', 'VARCHAR', 'BYTE_ARRAY (STRING)', false],
      ['name', 'VARCHAR', 'BYTE_ARRAY (STRING)', false],
      ['last_name', 'VARCHAR', 'BYTE_ARRAY (STRING)', false],
      ['email', 'VARCHAR', 'BYTE_ARRAY (STRING)', false],
      ['phone', 'BIGINT', 'INT64', false],
    ]);
  });

  it('marks optional and nullable fields nullable', () => {
    const schema = z.strictObject({ a: z.string().optional(), b: z.string().nullable(), c: z.string() });
    expect(parquetColumns(schema).map((c) => c.nullable)).toEqual([true, true, false]);
  });
});

describe('jsonSerDeColumns', () => {
  it('lists the event columns and needs no key mapping', () => {
    expect(jsonSerDeColumns()).toEqual({
      columnNames: ['uuid', 'event_date', 'status', 'name', 'last_name', 'email', 'phone'],
      columnToJsonKeyMappings: {},
    });
  });

  it('maps a JSON key that is not a valid Hive column name as written', () => {
    const schema = z.strictObject({ userId: z.string() });
    expect(jsonSerDeColumns(schema)).toEqual({ columnNames: ['userid'], columnToJsonKeyMappings: { userid: 'userId' } });
  });
});

describe('column kinds: one row per zod type', () => {
  it.each([
    ['z.string()', 'string', z.string()],
    ['z.uuid()', 'string', z.uuid()],
    ['z.email()', 'string', z.email()],
    ['z.iso.time()', 'string', z.iso.time()],
    ['z.enum()', 'string', z.enum(['a', 'b'])],
    ['z.iso.datetime()', 'timestamp', z.iso.datetime()],
    ['z.iso.date()', 'date', z.iso.date()],
    ['z.int()', 'bigint', z.int()],
    ['z.number()', 'double', z.number()],
    ['z.boolean()', 'boolean', z.boolean()],
    ['z.string().nullable()', 'string', z.string().nullable()],
    ['z.int().optional()', 'bigint', z.int().optional()],
  ] as const)('%s -> %s', (_label, kind, type) => {
    const [field] = fieldsOf(z.strictObject({ f: type }));
    expect(field?.kind).toBe(kind);
  });

  it.each([
    ['an array', z.array(z.string()), /f: cannot derive a column: .*"array"/],
    ['a nested object', z.object({ a: z.string() }), /f: cannot derive a column: .*"object"/],
    ['a union', z.union([z.string(), z.int()]), /f: cannot derive a column: a union/],
    ['a JS Date', z.date(), /f: cannot derive a column: its type has no JSON form; use z.iso.datetime\(\)/],
    ['a JS bigint', z.bigint(), /f: cannot derive a column: its type has no JSON form/],
  ])('refuses %s with a clear error', (_label, type: z.ZodType, message) => {
    expect(() => fieldsOf(z.strictObject({ f: type }))).toThrow(message);
  });

  it('refuses a type with no single JSON type', () => {
    expect(() => columnKindOf('f', { type: ['string', 'integer'] })).toThrow('f: cannot derive a column: the JSON Schema has no single "type"');
  });

  it('refuses a key that cannot be a Glue column', () => {
    expect(() => columnNameOf('first-name')).toThrow('first-name: cannot derive a column');
  });
});

describe('extending the schema changes every derivation with no other edit', () => {
  const extended = eventRecordSchema.extend({
    country: z.string().length(2).describe('ISO 3166 country code'),
    score: z.number().min(0).max(1),
  });

  it('adds the Glue columns', () => {
    expect(glueColumns(extended).slice(-2)).toEqual([
      { name: 'country', type: 'string', comment: 'ISO 3166 country code' },
      { name: 'score', type: 'double' },
    ]);
  });

  it('adds the Parquet columns', () => {
    expect(
      parquetColumns(extended)
        .slice(-2)
        .map((c) => [c.name, c.duckdbType]),
    ).toEqual([
      ['country', 'VARCHAR'],
      ['score', 'DOUBLE'],
    ]);
  });

  it('adds the JSON SerDe columns', () => {
    expect(jsonSerDeColumns(extended).columnNames.slice(-2)).toEqual(['country', 'score']);
  });

  it('validates the new fields', () => {
    const check = createValidator(extended);
    const base = EXAMPLE_EVENT;
    expect(check({ ...base, country: 'PT', score: 0.5 }).ok).toBe(true);
    expect(check({ ...base, country: 'Portugal', score: 0.5 })).toEqual({
      ok: false,
      problems: [{ path: 'country', reason: 'expected a string of 2 to 2 characters, got "Portugal"' }],
    });
    expect(check(base).ok).toBe(false);
  });
});
