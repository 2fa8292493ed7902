import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { errorRange, positionInMessage } from './sql-error';

const doc = Text.of(['SELECT status,', '  count(*) AS n', 'FROM lake.evnts', 'GROUP BY status']);

describe('errorRange: where the engine points, in the editor', () => {
  it('marks the word at a 1-based line and column', () => {
    const r = errorRange(doc, 3, 6);
    expect(r).not.toBeNull();
    expect(doc.sliceString(r?.from ?? 0, r?.to ?? 0)).toBe('lake.evnts');
    expect(r?.line).toBe(3);
  });

  it('marks one character where no word starts', () => {
    const r = errorRange(doc, 2, 8);
    expect(doc.sliceString(r?.from ?? 0, r?.to ?? 0)).toBe('(');
  });

  it('marks the line’s start without a column, and clamps past the end', () => {
    expect(errorRange(doc, 4, undefined)).toMatchObject({ from: doc.line(4).from, line: 4 });
    expect(errorRange(doc, 99, 1)).toMatchObject({ line: 4 });
    expect(errorRange(doc, 1, 500)).toEqual({ from: doc.line(1).to - 1, to: doc.line(1).to, line: 1 });
    expect(errorRange(Text.of(['']), 1, 3)).toEqual({ from: 0, to: 0, line: 1 });
  });

  it('marks nothing without a line', () => {
    expect(errorRange(doc, undefined, 3)).toBeNull();
    expect(errorRange(doc, 0, 3)).toBeNull();
  });
});

describe('positionInMessage: a position the engine wrote in its message', () => {
  it.each([
    ["line 1:8: mismatched input 'oops'", { line: 1, column: 8 }],
    ['Parser Error: syntax error at end of input (line 2, column 32)', { line: 2, column: 32 }],
    ['Binder Error: column "x" not found\nLINE 3: SELECT x', { line: 3 }],
    ['Catalog Error: Table with name evnts does not exist!', {}],
  ])('%s', (message, position) => expect(positionInMessage(message)).toEqual(position));
});
