import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, ndjsonItems } from './ndjson';
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
    const huge = Array(Math.ceil(MAX_LINE_BYTES / chunk.length) + 2).fill(chunk);
    const items = await parse(['{"a":1}\n', ...huge, '\n{"a":3}\n']);
    expect(items).toEqual([
      { at: 1, value: { a: 1 } },
      { at: 2, problem: 'line is over 4 MiB; Kinesis takes records up to 1 MiB: make it smaller' },
      { at: 3, value: { a: 3 } },
    ]);
  });

  it.each<[string, Buffer, string]>([
    [
      'a byte that starts no character',
      Buffer.concat([bytes('{"name":"Zo'), Buffer.from([0xff]), bytes('"}')]),
      'not UTF-8 text (byte 0xff at byte 12 of the line): the input must be UTF-8',
    ],
    [
      'a character cut short by the next one',
      Buffer.concat([bytes('{"name":"Zo'), Buffer.from([0xc3]), bytes('"}')]),
      'not UTF-8 text (byte 0xc3 at byte 12 of the line): the input must be UTF-8',
    ],
    [
      'a UTF-8-encoded surrogate (CESU)',
      Buffer.concat([bytes('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), bytes('"}')]),
      'not UTF-8 text (byte 0xed at byte 10 of the line): the input must be UTF-8',
    ],
    [
      'an overlong form of "/"',
      Buffer.concat([bytes('{"name":"'), Buffer.from([0xc0, 0xaf]), bytes('"}')]),
      'not UTF-8 text (byte 0xc0 at byte 10 of the line): the input must be UTF-8',
    ],
    [
      'a character cut short at the end of the line',
      Buffer.concat([bytes('{"a":1} '), Buffer.from([0xe2, 0x82])]),
      'not UTF-8 text (byte 0xe2 at byte 9 of the line): the input must be UTF-8',
    ],
    [
      'a lone high surrogate escape',
      bytes('{"name":"Zo\\ud800"}'),
      '"Zo\\ud800" holds a lone surrogate (\\ud800), which is not Unicode text: fix or remove it',
    ],
    [
      'a lone low surrogate escape in a key',
      bytes('{"\\udc00x":1}'),
      '"\\udc00x" holds a lone surrogate (\\udc00), which is not Unicode text: fix or remove it',
    ],
    ['a duplicate key', bytes('{"name":"a","age":3,"name":"b"}'), 'duplicate key "name": JSON would keep only its last value; give each key once'],
    [
      'a duplicate key written two ways',
      bytes('{"name":"a","n\\u0061me":"b"}'),
      'duplicate key "name": JSON would keep only its last value; give each key once',
    ],
    ['a duplicate key in a nested object', bytes('{"a":{"b":1,"b":2}}'), 'duplicate key "b": JSON would keep only its last value; give each key once'],
  ])('refuses what JSON.parse would change silently: %s', async (_label, line, problem) => {
    const items = await parse([bytes('{"a":1}\n'), Buffer.concat([line, bytes('\n{"a":3}\n')])]);
    expect(items).toEqual([
      { at: 1, value: { a: 1 } },
      { at: 2, problem },
      { at: 3, value: { a: 3 } },
    ]);
  });

  it.each([
    ['a surrogate pair as escapes', '{"name":"\\ud83d\\ude00"}', { name: '\u{1F600}' }],
    ['the same key in two objects', '{"a":{"k":1},"b":{"k":2}}', { a: { k: 1 }, b: { k: 2 } }],
    ['a key-like string in an array', '{"a":["k","k"]}', { a: ['k', 'k'] }],
    ['an escaped quote before a colon', '{"a":"x\\":y","b":1}', { a: 'x":y', b: 1 }],
  ])('keeps what is valid as it is: %s', async (_label, text, value) => {
    expect(await parse([`${text}\n`])).toEqual([{ at: 1, value }]);
  });
});
