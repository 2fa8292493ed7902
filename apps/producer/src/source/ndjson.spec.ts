import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, ndjsonItems } from './ndjson';
import type { SourceItem } from './items';

async function parse(chunks: Array<string | Buffer>): Promise<SourceItem[]> {
  async function* input() {
    yield* chunks;
  }
  const items: SourceItem[] = [];
  for await (const chunk of ndjsonItems(input())) items.push(...chunk);
  return items;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const zoe = bytes('{"name":"Zoë"}\n');
const split = zoe.indexOf(0xc3) + 1; // in the middle of the two bytes of ë

describe('ndjsonItems: numbered records from NDJSON', () => {
  it.each<[string, Array<string | Buffer>, SourceItem[]]>([
    [
      'two lines',
      ['{"a":1}\n{"a":2}\n'],
      [
        { at: 1, value: { a: 1 } },
        { at: 2, value: { a: 2 } },
      ],
    ],
    [
      'no final newline',
      ['{"a":1}\n{"a":2}'],
      [
        { at: 1, value: { a: 1 } },
        { at: 2, value: { a: 2 } },
      ],
    ],
    [
      'CRLF line ends',
      ['{"a":1}\r\n{"a":2}\r\n'],
      [
        { at: 1, value: { a: 1 } },
        { at: 2, value: { a: 2 } },
      ],
    ],
    [
      'blank lines skipped, still counted',
      ['\n{"a":1}\n  \n\n{"a":2}\n\n'],
      [
        { at: 2, value: { a: 1 } },
        { at: 5, value: { a: 2 } },
      ],
    ],
    [
      'a line split across reads',
      ['{"a":', '1}\n{"a"', ':2}\n'],
      [
        { at: 1, value: { a: 1 } },
        { at: 2, value: { a: 2 } },
      ],
    ],
    ['a byte-order mark', ['\uFEFF{"a":1}\n'], [{ at: 1, value: { a: 1 } }]],
    ['a UTF-8 character split across reads', [zoe.subarray(0, split), zoe.subarray(split)], [{ at: 1, value: { name: 'Zoë' } }]],
    [
      'a value that is not an object',
      ['42\n"x"\n'],
      [
        { at: 1, value: 42 },
        { at: 2, value: 'x' },
      ],
    ],
    ['empty input', [], []],
  ])('%s', async (_label, chunks, expected) => {
    expect(await parse(chunks)).toEqual(expected);
  });

  it.each([
    ['{"a":1\n', 1],
    ['{"a":1}\n{oops}\n{"a":3}\n', 2],
    ['{"a":1}\nnot json', 2],
  ])('reports invalid JSON by its line number: %j', async (text, line) => {
    const items = await parse([text]);
    const bad = items.find((i) => 'problem' in i);
    expect(bad?.at).toBe(line);
    expect(bad && 'problem' in bad ? bad.problem : '').toMatch(/^not valid JSON \(.+\)$/);
    expect(items.filter((i) => 'value' in i).map((i) => i.at)).not.toContain(line);
  });

  it('refuses an overlong line without holding it, and goes on with the next', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    const huge = Array(Math.ceil(MAX_LINE_CHARS / chunk.length) + 2).fill(chunk);
    const items = await parse(['{"a":1}\n', ...huge, '\n{"a":3}\n']);
    expect(items).toEqual([
      { at: 1, value: { a: 1 } },
      { at: 2, problem: 'line is over 4 MiB; Kinesis takes records up to 1 MiB: make it smaller' },
      { at: 3, value: { a: 3 } },
    ]);
  });
});
