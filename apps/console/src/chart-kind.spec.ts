import { describe, expect, it } from 'vitest';
import { MAX_BARS, chartPlan } from './chart-kind';
import { isNumericType } from '@lakehouse/console-api';
import { numberValue, timeValue } from './chart-values';

const cols = (...types: string[]) => types.map((type, i) => ({ name: `c${i}`, type }));

describe('chartPlan: a result’s shape → its chart', () => {
  it('draws a time column and a number as a line', () => {
    expect(chartPlan(cols('timestamp(3)', 'bigint'), 10)).toEqual({ kind: 'line', x: 0, ys: [1] });
    expect(chartPlan(cols('double', 'date'), 3)).toEqual({ kind: 'line', x: 1, ys: [0] });
  });

  it('draws one line per number column over one time column', () => {
    expect(chartPlan(cols('timestamp(3) with time zone', 'bigint', 'double'), 5)).toEqual({ kind: 'line', x: 0, ys: [1, 2] });
  });

  it('draws a category and a number as bars', () => {
    expect(chartPlan(cols('varchar', 'bigint'), 4)).toEqual({ kind: 'bars', x: 0, y: 1 });
    expect(chartPlan(cols('decimal(10,2)', 'boolean'), 2)).toEqual({ kind: 'bars', x: 1, y: 0 });
    expect(chartPlan(cols('VARCHAR', 'HUGEINT'), 2)).toEqual({ kind: 'bars', x: 0, y: 1 });
  });

  it.each([
    ['two numbers', cols('bigint', 'bigint')],
    ['a lone number', cols('bigint')],
    ['text only', cols('varchar', 'varchar')],
    ['a category with two numbers', cols('varchar', 'bigint', 'bigint')],
    ['time, category and number (a pivot)', cols('timestamp(3)', 'varchar', 'bigint')],
    ['two time columns and a number', cols('timestamp(3)', 'date', 'bigint')],
    ['a time of day and a number', cols('time(3)', 'bigint')],
    ['an interval and a number', cols('interval day to second', 'bigint')],
  ])('draws nothing for %s', (_label, columns) => {
    expect(chartPlan(columns, 10).kind).toBe('none');
  });

  it('draws nothing without rows, or with too many bars, and says why', () => {
    expect(chartPlan(cols('timestamp(3)', 'bigint'), 0)).toEqual({ kind: 'none', reason: 'No rows to chart.' });
    expect(chartPlan(cols('varchar', 'bigint'), MAX_BARS)).toMatchObject({ kind: 'bars' });
    expect(chartPlan(cols('varchar', 'bigint'), MAX_BARS + 1)).toMatchObject({ kind: 'none', reason: expect.stringContaining('too many bars') });
  });
});

describe('values as Athena writes them', () => {
  it('reads timestamps and dates as UTC epoch seconds', () => {
    expect(timeValue('2026-01-02 03:04:05.678')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678) / 1000);
    expect(timeValue('2026-01-02')).toBe(Date.UTC(2026, 0, 2) / 1000);
    expect(timeValue('2026-01-02 03:04:05.678 UTC')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678) / 1000);
    expect(timeValue('2026-01-02 03:04:05.123456')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 123) / 1000);
    expect(timeValue('2026-01-02T03:04:05+01:00')).toBe(Date.UTC(2026, 0, 2, 2, 4, 5) / 1000);
  });

  it('gives null for what is not a time or a number', () => {
    expect(timeValue('yesterday')).toBeNull();
    expect(timeValue(null)).toBeNull();
    expect(numberValue('1.5E3')).toBe(1500);
    expect(numberValue('NaN')).toBeNull();
    expect(numberValue('')).toBeNull();
    expect(numberValue(null)).toBeNull();
  });

  it('knows Athena’s and DuckDB’s number types from the rest', () => {
    for (const t of ['tinyint', 'integer', 'bigint', 'real', 'double', 'decimal(18,3)', 'UBIGINT', 'INTEGER']) expect(isNumericType(t), t).toBe(true);
    for (const t of ['varchar', 'interval year to month', 'date', 'internal']) expect(isNumericType(t), t).toBe(false);
  });
});
