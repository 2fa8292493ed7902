import { StringDecoder } from 'node:string_decoder';
import type { SourceItem } from './items';

/** A line this long can't hold a record Kinesis takes (1 MiB): it is refused without being held in memory. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

function parseLine(text: string, at: number): SourceItem | undefined {
  if (text.trim() === '') return undefined; // blank lines (a trailing newline, spacing) are not records
  try {
    return { at, value: JSON.parse(text) };
  } catch (error) {
    return { at, problem: `not valid JSON (${(error as Error).message})` };
  }
}

/**
 * Parses NDJSON from a byte stream (a file or stdin) into numbered items, one chunk of items per chunk read.
 * Invalid JSON becomes an item with a problem, so the caller decides whether to stop or skip.
 * Handles CRLF, a leading byte-order mark and UTF-8 split across reads.
 */
export async function* ndjsonItems(input: AsyncIterable<Buffer | string>): AsyncGenerator<SourceItem[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 1;
  let overlong = false; // the current line passed MAX_LINE_CHARS: skip to its end
  let first = true;

  const finish = (text: string, items: SourceItem[]) => {
    if (overlong) {
      items.push({ at: line, problem: `line is over ${MAX_LINE_CHARS / 1024 / 1024} MiB; Kinesis takes records up to 1 MiB: make it smaller` });
      overlong = false;
    } else {
      const item = parseLine(text.endsWith('\r') ? text.slice(0, -1) : text, line);
      if (item) items.push(item);
    }
    line++;
  };

  const consume = (text: string): SourceItem[] => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const items: SourceItem[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      finish(rest + text.slice(start, end), items);
      rest = '';
      start = end + 1;
    }
    if (!overlong) rest += text.slice(start);
    if (rest.length > MAX_LINE_CHARS) {
      overlong = true;
      rest = '';
    }
    return items;
  };

  for await (const chunk of input) {
    const items = consume(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (items.length > 0) yield items;
  }
  const items = consume(decoder.end());
  if (rest !== '' || overlong) finish(rest, items);
  if (items.length > 0) yield items;
}
