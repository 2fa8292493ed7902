import { describe, expect, it } from 'vitest';
import { renderTable } from './table';

describe('renderTable', () => {
  it('a query result: header, rule, numbers right-aligned, " | " between columns', () => {
    const text = renderTable(
      [
        ['Inactive', '5'],
        ['Active', '12'],
      ],
      { header: ['status', 'events'], align: ['left', 'right'], gap: ' | ' },
    );
    expect(text).toBe(['status   | events', '---------+-------', 'Inactive |      5', 'Active   |     12'].join('\n'));
  });

  it('a plain table: two spaces, a dashed rule, indent, no trailing spaces', () => {
    expect(renderTable([['dev', 'planned']], { header: ['stack', 'status'], indent: '  ' })).toBe('  stack  status\n  -----  -------\n  dev    planned');
  });

  it('handles a large result without spreading it into arguments', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i)]);
    expect(renderTable(rows).split('\n')).toHaveLength(200_000);
  });
});
