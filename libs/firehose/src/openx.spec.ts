import { describe, expect, it } from 'vitest';
import { COLUMN_TYPES, parquetColumns, type ColumnKind, type ParquetColumn } from '@lakehouse/schema';
import { EXAMPLE_EVENT } from '@lakehouse/schema/testing';
import { CONVERSION_ERROR_CODES, createConverter, topLevelLiteral } from './openx';

const good = EXAMPLE_EVENT;
const convertEvent = createConverter(parquetColumns());
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

function column(kind: ColumnKind, nullable = true): ParquetColumn {
  return { name: 'v', jsonKey: 'v', kind, duckdbType: COLUMN_TYPES[kind].duckdb, parquetType: COLUMN_TYPES[kind].parquet, nullable };
}

/** Converts `{"v": <json>}` for a one-column table of the given kind. */
function convertValue(kind: ColumnKind, json: string) {
  return createConverter([column(kind)])(`{"v": ${json}}`);
}

const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('OpenX JSON SerDe: the event table', () => {
  it('converts a good record into the table’s columns, in order and typed', () => {
    expect(convertEvent(bytes(good))).toEqual({
      ok: true,
      row: [good.uuid, micros('2022-02-02T15:17:07.618Z'), 'Inactive', 'Alicia', 'Olson', 'rwright@example.net', 910322509n],
    });
  });

  it('drops fields that are not columns', () => {
    expect(convertEvent(bytes({ ...good, extra: { nested: true }, another: 1 }))).toEqual(convertEvent(bytes(good)));
  });

  it('matches keys ignoring case, as OpenX does by default', () => {
    const { phone, ...rest } = good;
    const result = convertEvent(bytes({ ...rest, PHONE: phone }));
    expect(result.ok && result.row[6]).toBe(910322509n);
    const strict = createConverter(parquetColumns(), { caseInsensitive: false })(bytes({ ...rest, PHONE: phone }));
    expect(strict.ok).toBe(false);
  });

  it.each([
    ['not JSON', 'uuid=1,phone=2', CONVERSION_ERROR_CODES.parseError, /^Encountered malformed JSON\. /],
    ['empty', '', CONVERSION_ERROR_CODES.parseError, /^Encountered malformed JSON\. /],
    ['truncated JSON', '{"uuid": "x"', CONVERSION_ERROR_CODES.parseError, /^Encountered malformed JSON\. /],
    ['a JSON array', '[1,2]', CONVERSION_ERROR_CODES.malformedData, /A JSON object is required, got an array/],
    ['a JSON string', '"hello"', CONVERSION_ERROR_CODES.malformedData, /A JSON object is required, got the string "hello"/],
    ['JSON null', 'null', CONVERSION_ERROR_CODES.malformedData, /A JSON object is required, got null/],
    [
      'a string phone',
      JSON.stringify({ ...good, phone: '910322509' }),
      CONVERSION_ERROR_CODES.malformedData,
      /phone: expected a JSON number \(an integer\) for a bigint column, got the string "910322509"/,
    ],
    [
      'a local event_date with no zone',
      JSON.stringify({ ...good, event_date: '2022-02-02T15:17:07.618098' }),
      CONVERSION_ERROR_CODES.malformedData,
      /event_date: "2022-02-02T15:17:07.618098" is a local time with no zone/,
    ],
    [
      'a missing column',
      JSON.stringify({ ...good, email: undefined }),
      CONVERSION_ERROR_CODES.malformedData,
      /email: the field is missing, and the schema requires it/,
    ],
    ['a null column', JSON.stringify({ ...good, name: null }), CONVERSION_ERROR_CODES.malformedData, /name: the field is null, and the schema requires it/],
  ])('fails %s with %s', (_case, data, code, message) => {
    const result = convertEvent(bytes(data));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errorCode).toBe(code);
      expect(result.errorMessage).toMatch(message);
      if (code === CONVERSION_ERROR_CODES.malformedData) expect(result.errorMessage).toMatch(/^Data does not match the schema\. /);
    }
  });

  it('fails bytes that are not UTF-8 as a parse error', () => {
    expect(convertEvent(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      ok: false,
      errorCode: CONVERSION_ERROR_CODES.parseError,
      errorMessage: 'Encountered malformed JSON. The record is not valid UTF-8.',
    });
  });

  it('writes NULL for a missing required column when asked to behave as OpenX on AWS', () => {
    const { email: _email, ...rest } = good;
    const result = createConverter(parquetColumns(), { requiredColumns: 'null' })(bytes(rest));
    expect(result.ok && result.row[5]).toBe(null);
  });
});

// kind, JSON value, expected cell
const ACCEPTED: Array<[ColumnKind, string, unknown]> = [
  ['string', '"text"', 'text'],
  ['string', '""', ''],
  ['string', '42', '42'],
  ['string', 'true', 'true'],
  ['string', '{"a":[1]}', '{"a":[1]}'],
  ['timestamp', '"2022-02-02T15:17:07Z"', micros('2022-02-02T15:17:07Z')],
  ['timestamp', '"2022-02-02T15:17:07.618Z"', micros('2022-02-02T15:17:07.618Z')],
  ['timestamp', '"2017-02-07T15:13:01.39256Z"', micros('2017-02-07T15:13:01.392Z') + 560n],
  ['timestamp', '"2017-02-07T15:13:01.123456789Z"', micros('2017-02-07T15:13:01.123Z') + 456n],
  ['timestamp', '"2017-02-07 15:13:01.14"', micros('2017-02-07T15:13:01.140Z')],
  ['timestamp', '"2017-2-7 15:13:01"', micros('2017-02-07T15:13:01Z')],
  ['timestamp', '1518033528', micros('2018-02-07T19:58:48Z')],
  ['timestamp', '1518033528.123', micros('2018-02-07T19:58:48.123Z')],
  ['timestamp', '1518033528123', micros('2018-02-07T19:58:48.123Z')],
  ['timestamp', '"1518033528"', micros('2018-02-07T19:58:48Z')],
  ['timestamp', '"2024-02-29T00:00:00Z"', micros('2024-02-29T00:00:00Z')],
  ['date', '"2022-02-02"', 19025],
  ['date', '"2022-2-2"', 19025],
  ['date', '"1969-12-31"', -1],
  ['bigint', '910322509', 910322509n],
  ['bigint', '-5', -5n],
  ['bigint', '9223372036854775807', 9223372036854775807n],
  ['bigint', '-9223372036854775808', -9223372036854775808n],
  ['double', '0.5', 0.5],
  ['double', '3', 3],
  ['double', '-1e-3', -0.001],
  ['boolean', 'true', true],
  ['boolean', 'false', false],
  ['string', 'null', null],
  ['bigint', 'null', null],
];

describe.each(ACCEPTED)('OpenX reads %s column value %s', (kind, json, expected) => {
  it(`as ${String(expected)}`, () => {
    expect(convertValue(kind, json)).toEqual({ ok: true, row: [expected] });
  });
});

// kind, JSON value, reason
const REFUSED: Array<[ColumnKind, string, RegExp]> = [
  ['timestamp', '"2022-02-02T15:17:07.618098"', /is a local time with no zone/],
  ['timestamp', '"2022-02-02T15:17"', /is a local time with no zone/],
  ['timestamp', '"2022-02-02T15:17:07+01:00"', /has a UTC offset/],
  ['timestamp', '"2022-02-30T15:17:07Z"', /is not a valid date and time/],
  ['timestamp', '"2022-02-02 25:17:07"', /is not a valid date and time/],
  ['timestamp', '"yesterday"', /expected a timestamp/],
  ['timestamp', '"2022-02-02"', /expected a timestamp/],
  ['timestamp', 'true', /expected a timestamp/],
  ['timestamp', '1e300', /out of the timestamp range/],
  ['date', '"2022-02-30"', /expected a date/],
  ['date', '"02/02/2022"', /expected a date/],
  ['date', '20220202', /expected a date/],
  ['bigint', '"910322509"', /expected a JSON number \(an integer\) for a bigint column, got the string "910322509"/],
  ['bigint', '1.5', /expected an integer, got 1.5/],
  ['bigint', '9223372036854775808', /9223372036854775808 is out of the bigint range/],
  ['bigint', 'true', /got boolean true/],
  ['bigint', '[1]', /got an array/],
  ['double', '"0.5"', /expected a JSON number for a double column/],
  ['boolean', '"true"', /expected true or false, got the string "true"/],
  ['boolean', '1', /expected true or false, got number 1/],
];

describe.each(REFUSED)('OpenX refuses %s column value %s', (kind, json, reason) => {
  it('as malformed data naming the column', () => {
    const result = convertValue(kind, json);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errorCode).toBe(CONVERSION_ERROR_CODES.malformedData);
      expect(result.errorMessage).toMatch(/^Data does not match the schema\. v: /);
      expect(result.errorMessage).toMatch(reason);
    }
  });
});

describe('topLevelLiteral: a member’s raw text, for integers past 2^53', () => {
  it.each([
    ['{"a": 12345678901234567890}', 'a', '12345678901234567890'],
    ['{"s": "x,}\\"y", "a":-9223372036854775808 }', 'a', '-9223372036854775808'],
    ['{"n": {"a": 1, "b": [1, {"a": 2}]}, "a": 3}', 'a', '3'],
    ['{"a": 1, "a": 2}', 'a', '2'],
    ['{"b": 1}', 'a', undefined],
    ['{}', 'a', undefined],
  ])('%s', (text, key, expected) => {
    expect(topLevelLiteral(text, key)).toBe(expected);
  });
});
