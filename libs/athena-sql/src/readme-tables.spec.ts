import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockIn, BLOCKS, withBlock } from '../scripts/readme-tables';

const root = join(import.meta.dirname, '../../..');

describe("the READMEs' SQL parts, printed from the function table", () => {
  it.each(BLOCKS.map((block) => [`${block.file} ${block.name}`, block] as const))(
    '%s is the table’s (node --import tsx libs/athena-sql/scripts/readme-tables.ts --write)',
    (_name, block) => {
      expect(blockIn(readFileSync(join(root, block.file), 'utf8'), block)).toBe(block.text);
    },
  );

  it('writes a block between its marks, and says so when the marks are missing', () => {
    const block = { file: 'README.md', name: 'x', text: 'new' } as const;
    expect(withBlock('a\n<!-- readme-tables:x -->\nold\n<!-- /readme-tables:x -->\nb', block)).toBe(
      'a\n<!-- readme-tables:x -->\nnew\n<!-- /readme-tables:x -->\nb',
    );
    expect(withBlock('a\nb', block)).toBeUndefined();
  });

  it('replaces a table’s rows by their first cell, and adds a new one after the row before it', () => {
    const block = { file: 'README.md', name: 'rows', text: '| A | 2 |\n| B | 3 |', rows: true } as const;
    expect(withBlock('| x |\n| A | 1 |\n| C | 0 |', block)).toBe('| x |\n| A | 2 |\n| B | 3 |\n| C | 0 |');
  });
});
