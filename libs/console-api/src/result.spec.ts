import { describe, expect, it } from 'vitest';
import {
  columnKind,
  csvField,
  csvHeader,
  csvLine,
  csvText,
  JSON_ARRAY,
  jsonElement,
  isCategoryType,
  isNumericType,
  isTimeType,
  jsonText,
  jsonValue,
  type ColumnKind,
} from './result';

const columns = [
  { name: 'id', type: 'bigint' },
  { name: 'note', type: 'varchar' },
  { name: 'price', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

describe('what a column holds, by its type name in Athena or DuckDB', () => {
  it.each<[string, ColumnKind]>([
    ['bigint', 'integer'],
    ['BIGINT', 'integer'],
    ['integer', 'integer'],
    ['tinyint', 'integer'],
    ['HUGEINT', 'integer'],
    ['UBIGINT', 'integer'],
    ['UTINYINT', 'integer'],
    ['double', 'decimal'],
    ['DOUBLE', 'decimal'],
    ['real', 'decimal'],
    ['decimal(10,2)', 'decimal'],
    ['DECIMAL(18,3)', 'decimal'],
    ['boolean', 'boolean'],
    ['BOOLEAN', 'boolean'],
    ['timestamp(3)', 'time'],
    ['timestamp(3) with time zone', 'time'],
    ['TIMESTAMP WITH TIME ZONE', 'time'],
    ['date', 'time'],
    ['varchar', 'text'],
    ['VARCHAR', 'text'],
    ['uuid', 'text'],
    ['array(varchar)', 'other'],
    ['map(varchar, bigint)', 'other'],
    ['decimalish', 'other'],
    ['interval day to second', 'other'],
  ])('%s: %s', (type, kind) => {
    expect(columnKind(type)).toBe(kind);
  });

  it('answers the questions the page asks: align right, draw over time, group by', () => {
    expect(['bigint', 'double', 'decimal(5,1)'].every(isNumericType)).toBe(true);
    expect(['varchar', 'boolean', 'timestamp(3)'].some(isNumericType)).toBe(false);
    expect(['timestamp(3)', 'date'].every(isTimeType)).toBe(true);
    expect(['varchar', 'boolean'].every(isCategoryType)).toBe(true);
    expect(['bigint', 'date'].some(isCategoryType)).toBe(false);
  });
});

describe('CSV', () => {
  it('writes a header and a line per row, NULL as an empty field (as Athena and `lakehouse query --csv` do)', () => {
    expect(
      csvText({
        columns,
        rows: [
          ['1', 'plain', '2.5', 'true'],
          ['2', null, null, 'false'],
        ],
      }),
    ).toBe('id,note,price,ok\n1,plain,2.5,true\n2,,,false');
  });

  it('quotes only the fields that need it, doubling quotes inside', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
  });

  it('tells an empty string from NULL, as Athena’s result files do', () => {
    expect(
      csvText({
        columns: [
          { name: 'a', type: 'varchar' },
          { name: 'b', type: 'varchar' },
        ],
        rows: [['', null]],
      }),
    ).toBe('a,b\n"",');
  });

  it('quotes a column name that needs it, and writes a missing cell as NULL', () => {
    expect(
      csvText({
        columns: [
          { name: 'a,b', type: 'varchar' },
          { name: 'c', type: 'varchar' },
        ],
        rows: [['x']],
      }),
    ).toBe('"a,b",c\nx,');
  });
});

describe('JSON', () => {
  it('writes objects with numbers and booleans typed and NULL as null', () => {
    expect(
      JSON.parse(
        jsonText({
          columns,
          rows: [
            ['1', 'plain', '2.5', 'true'],
            ['2', null, null, 'false'],
          ],
        }),
      ),
    ).toEqual([
      { id: 1, note: 'plain', price: 2.5, ok: true },
      { id: 2, note: null, price: null, ok: false },
    ]);
  });

  it('keeps integers past 2^53 as text, so no digit is lost', () => {
    expect(jsonValue('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(jsonValue('42', 'bigint')).toBe(42);
    expect(jsonValue('42', 'BIGINT')).toBe(42);
    expect(jsonValue('NaN', 'double')).toBe('NaN');
    expect(jsonValue('1e3', 'DOUBLE')).toBe(1000);
    expect(jsonValue('12.50', 'decimal(10,2)')).toBe(12.5);
    expect(jsonValue('1.5', 'decimalish')).toBe('1.5');
    expect(jsonValue('2026-01-01 00:00:00.000', 'timestamp(3)')).toBe('2026-01-01 00:00:00.000');
  });

  it('is indented as the lake’s download is', () => {
    expect(jsonText({ columns: [{ name: 'n', type: 'integer' }], rows: [['1']] })).toBe('[\n  {\n    "n": 1\n  }\n]');
  });
});

describe('streamed rows, written piece by piece', () => {
  const rowSets: Array<Array<Array<string | null>>> = [
    [],
    [['1', 'a\nb', '2.5', 'true']],
    [
      ['1', null, null, 'false'],
      ['2', '"q"', '1e400', 'true'],
    ],
  ];
  it.each(rowSets.map((rows) => [rows.length, rows] as const))('%i rows: CSV and JSON pieces join to exactly the whole text', (_, rows) => {
    expect([csvHeader(columns), ...rows.map((row) => csvLine(columns, row))].join('\n')).toBe(csvText({ columns, rows }));
    const json =
      rows.length === 0 ? JSON_ARRAY.empty : `${JSON_ARRAY.start}${rows.map((row) => jsonElement(columns, row)).join(JSON_ARRAY.separator)}${JSON_ARRAY.end}`;
    expect(json).toBe(JSON.stringify(JSON.parse(jsonText({ columns, rows })), null, 2));
    expect(json).toBe(jsonText({ columns, rows }));
  });
});
