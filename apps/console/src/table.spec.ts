import { describe, expect, it } from 'vitest';
import { columnWidths } from './table';

describe('columnWidths', () => {
  it('sizes a column to its longest text among the header and the first rows, within bounds', () => {
    const [narrow, wide, capped] = columnWidths(
      [
        { name: 'n', type: 'bigint' },
        { name: 'email', type: 'varchar' },
        { name: 'raw', type: 'varchar' },
      ],
      [
        ['1', 'someone@example.com', 'x'.repeat(500)],
        ['22', null, 'y'],
      ],
    );
    expect(narrow).toBe(70);
    expect(wide).toBe(Math.ceil(19 * 7.6) + 18);
    expect(capped).toBe(420);
  });

  it('looks only at the first rows, so 100,000 rows cost nothing', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [i === 250 ? 'z'.repeat(40) : 'a']);
    expect(columnWidths([{ name: 'c', type: 'varchar' }], rows, 200)).toEqual([90]);
  });
});
