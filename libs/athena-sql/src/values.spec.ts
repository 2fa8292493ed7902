import { describe, expect, it } from 'vitest';
import { arrayText, athenaTypeName, dateText, doubleText, entriesText, intervalText, realText, timestampText } from './values';

describe('values as Athena prints them', () => {
  it.each([
    [1_795_631_496_410_000n, '2026-11-25 18:31:36.410'],
    [1_795_631_496_000_000n, '2026-11-25 18:31:36.000'],
    [1_795_631_496_410_999n, '2026-11-25 18:31:36.410'],
    [-1n, '1969-12-31 23:59:59.999'],
    [0n, '1970-01-01 00:00:00.000'],
  ])('timestamp %s → %s', (micros, text) => {
    expect(timestampText(micros)).toBe(text);
  });

  it('dates', () => {
    expect(dateText(20_782)).toBe('2026-11-25');
  });

  it.each([
    [0.5, '0.5'],
    [3, '3.0'],
    [1e10, '1.0E10'],
    [1.79563149641e9, '1.79563149641E9'],
    [9999999.5, '9999999.5'],
    [1e7, '1.0E7'],
    [0.001, '0.001'],
    [0.00015, '1.5E-4'],
    [-2.5e-7, '-2.5E-7'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Number.NaN, 'NaN'],
    [Infinity, 'Infinity'],
  ])('double %s → %s (Java’s Double.toString)', (x, text) => {
    expect(doubleText(x)).toBe(text);
  });

  it.each([
    [Math.fround(0.1), '0.1'],
    [Math.fround(1.5), '1.5'],
    [Math.fround(1e10), '1.0E10'],
  ])('real %s → %s (Java’s Float.toString)', (x, text) => {
    expect(realText(x)).toBe(text);
  });

  it.each([
    [{ months: 0, days: 0, micros: 3_600_000_000n }, '0 01:00:00.000'],
    [{ months: 0, days: 2, micros: 3_723_004_000n }, '2 01:02:03.004'],
    [{ months: 0, days: 0, micros: -60_000_000n }, '-0 00:01:00.000'],
    [{ months: 14, days: 0, micros: 0n }, '1-2'],
  ])('interval %# → %s', (interval, text) => {
    expect(intervalText(interval)).toBe(text);
  });

  it('arrays, maps and rows', () => {
    expect(arrayText(['a', null, 'b'])).toBe('[a, NULL, b]');
    expect(
      entriesText([
        ['k', '1'],
        ['x', null],
      ]),
    ).toBe('{k=1, x=NULL}');
  });

  it.each([
    ['VARCHAR', 'varchar'],
    ['BIGINT', 'bigint'],
    ['HUGEINT', 'bigint'],
    ['DOUBLE', 'double'],
    ['FLOAT', 'real'],
    ['TIMESTAMP', 'timestamp(3)'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp(3) with time zone'],
    ['DECIMAL(18,3)', 'decimal(18,3)'],
    ['VARCHAR[]', 'array(varchar)'],
    ['BIGINT[][]', 'array(array(bigint))'],
    ['MAP(VARCHAR, BIGINT)', 'map(varchar, bigint)'],
    ['STRUCT(a INTEGER, "b c" VARCHAR[])', 'row(a integer, b c array(varchar))'],
    ['INTERVAL', 'interval day to second'],
  ])('type %s → %s', (duckdb, trino) => {
    expect(athenaTypeName(duckdb)).toBe(trino);
  });
});
