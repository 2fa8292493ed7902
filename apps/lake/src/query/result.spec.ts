import { describe, expect, it } from 'vitest';
import type { QueryResult } from '@lakehouse/console-api';
import { render, summary } from './result';

const result: QueryResult = {
  columns: [
    { name: 'status', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'share', type: 'DOUBLE' },
    { name: 'ok', type: 'BOOLEAN' },
  ],
  rows: [
    ['Active', '1650', '0.33', 'true'],
    ['Needs, "quotes"', '12', null, 'false'],
    ['Huge', '9007199254740993', '1e3', null],
  ],
  elapsedMs: 12.4,
};

describe('query output', () => {
  it('prints an aligned table, numbers to the right, NULL for missing values', () => {
    expect(render(result, 'table')).toBe(
      [
        'status          | n                | share | ok',
        '----------------+------------------+-------+------',
        'Active          |             1650 |  0.33 | true',
        'Needs, "quotes" |               12 |  NULL | false',
        'Huge            | 9007199254740993 |   1e3 | NULL',
      ].join('\n'),
    );
  });

  it('prints JSON with numbers and booleans typed, keeping integers past 2^53 exact as text', () => {
    expect(JSON.parse(render(result, 'json'))).toEqual([
      { status: 'Active', n: 1650, share: 0.33, ok: true },
      { status: 'Needs, "quotes"', n: 12, share: null, ok: false },
      { status: 'Huge', n: '9007199254740993', share: 1000, ok: null },
    ]);
  });

  it('prints RFC 4180 CSV', () => {
    expect(render(result, 'csv')).toBe(
      ['status,n,share,ok', 'Active,1650,0.33,true', '"Needs, ""quotes""",12,,false', 'Huge,9007199254740993,1e3,'].join('\n'),
    );
  });

  it('prints a table of 200,000 rows (large results once overflowed the stack)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i)]);
    const lines = render({ columns: [{ name: 'n', type: 'BIGINT' }], rows, elapsedMs: 1 }, 'table').split('\n');
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines.at(-1)).toBe('199999');
    expect(lines[2]).toBe('     0');
  });

  it('aligns Athena’s lower-case type names the same way', () => {
    const athena = { ...result, columns: result.columns.map((c) => ({ ...c, type: c.type.toLowerCase() })) };
    expect(render(athena, 'table')).toBe(render(result, 'table'));
  });

  it.each([
    [{ ...result, rows: [] }, '0 rows in 12 ms'],
    [{ ...result, rows: [['a', '1', '1', 'true']] }, '1 row in 12 ms'],
    [{ ...result, scannedBytes: 2048 }, '3 rows in 12 ms, 2.0 KiB scanned'],
  ])('summarizes %#', (r, line) => {
    expect(summary(r)).toBe(line);
  });
});
