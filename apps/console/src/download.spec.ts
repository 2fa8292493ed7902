import { describe, expect, it } from 'vitest';
import { csvField, csvText, dispositionName, jsonText, jsonValue } from './download';

const columns = [
  { name: 'id', type: 'bigint' },
  { name: 'note', type: 'varchar' },
  { name: 'price', type: 'double' },
  { name: 'ok', type: 'boolean' },
];

describe('CSV', () => {
  it('writes a header and a line per row, NULL as an empty field (as Athena and `lakehouse query --csv` do)', () => {
    expect(csvText(columns, [['1', 'plain', '2.5', 'true'], ['2', null, null, 'false']])).toBe('id,note,price,ok\n1,plain,2.5,true\n2,,,false');
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
    expect(csvText([{ name: 'a', type: 'varchar' }, { name: 'b', type: 'varchar' }], [['', null]])).toBe('a,b\n"",');
  });

  it('quotes a column name that needs it, and writes a missing cell as NULL', () => {
    expect(csvText([{ name: 'a,b', type: 'varchar' }, { name: 'c', type: 'varchar' }], [['x']])).toBe('"a,b",c\nx,');
  });
});

describe('JSON', () => {
  it('writes objects with numbers and booleans typed and NULL as null', () => {
    expect(JSON.parse(jsonText(columns, [['1', 'plain', '2.5', 'true'], ['2', null, null, 'false']]))).toEqual([
      { id: 1, note: 'plain', price: 2.5, ok: true },
      { id: 2, note: null, price: null, ok: false },
    ]);
  });

  it('keeps integers past 2^53 as text, so no digit is lost', () => {
    expect(jsonValue('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(jsonValue('42', 'bigint')).toBe(42);
    expect(jsonValue('NaN', 'double')).toBe('NaN');
    expect(jsonValue('12.50', 'decimal(10,2)')).toBe(12.5);
    expect(jsonValue('1.5', 'decimalish')).toBe('1.5');
    expect(jsonValue('2026-01-01 00:00:00.000', 'timestamp(3)')).toBe('2026-01-01 00:00:00.000');
  });

  it('is indented as the lake’s download is', () => {
    expect(jsonText([{ name: 'n', type: 'integer' }], [['1']])).toBe('[\n  {\n    "n": 1\n  }\n]');
  });
});

describe('dispositionName', () => {
  it('reads the file name the lake gives a download', () => {
    expect(dispositionName('attachment; filename="result.csv"')).toBe('result.csv');
    expect(dispositionName("attachment; filename*=UTF-8''r%C3%A9sultat.json")).toBe('résultat.json');
    expect(dispositionName('attachment')).toBeNull();
    expect(dispositionName(null)).toBeNull();
  });
});
