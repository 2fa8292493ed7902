import type { SourceItem } from './items';

/** A line this long can't hold a record Kinesis takes (1 MiB): it is refused without being held in memory. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

const NEWLINE = 0x0a;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Refuses what it can't decode instead of writing U+FFFD in its place: a record is sent as written or not at all. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Where a line stops being UTF-8: the offset of the first byte that starts no valid sequence (RFC 3629). */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const follow = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (follow === 0) return i;
    // The second byte's range shuts out overlong forms, surrogates (ED A0..) and code points past U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= follow; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return bytes.length;
}

/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What JSON.parse would hide in a line it accepts: an object key given twice (JSON.parse keeps the last value) and a
 * lone UTF-16 surrogate written as an escape (`"\ud800"`, which no UTF-8 text can hold and Parquet would store as
 * U+FFFD). Scans the text once; only called on valid JSON, so a string followed by `:` is a key.
 */
export function hiddenChange(text: string): string | undefined {
  const objects: Array<Set<string> | undefined> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') objects.push(new Set());
    else if (c === '[') objects.push(undefined);
    else if (c === '}' || c === ']') objects.pop();
    else if (c === '"') {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length; end++) {
        if (text[end] === '"') break;
        if (text[end] === '\\') {
          escaped = true;
          end++;
        }
      }
      const token = text.slice(i, end + 1);
      const value = escaped ? (JSON.parse(token) as string) : token.slice(1, -1);
      if (escaped && LONE_SURROGATE.test(value)) {
        const lone = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/.exec(token)?.[0] ?? 'a surrogate escape';
        return `${token.length > 40 ? 'a string' : token} holds a lone surrogate (${lone}), which is not Unicode text: fix or remove it`;
      }
      let next = end + 1;
      while (next < text.length && /\s/.test(text[next] as string)) next++;
      const keys = objects.at(-1);
      if (text[next] === ':' && keys) {
        if (keys.has(value)) return `duplicate key ${JSON.stringify(value)}: JSON would keep only its last value; give each key once`;
        keys.add(value);
      }
      i = end;
    }
  }
  return undefined;
}

function parseLine(bytes: Buffer, at: number): SourceItem | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const byte = bytes[offset]?.toString(16).padStart(2, '0');
    const where = byte === undefined ? 'a character cut short at the end of the line' : `byte 0x${byte} at byte ${offset + 1} of the line`;
    return { at, problem: `not UTF-8 text (${where}): the input must be UTF-8` };
  }
  if (text.trim() === '') return undefined; // blank lines (a trailing newline, spacing) are not records
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { at, problem: `not valid JSON (${(error as Error).message})` };
  }
  const hidden = hiddenChange(text);
  return hidden === undefined ? { at, value } : { at, problem: hidden };
}

/**
 * Parses NDJSON from a byte stream (a file or stdin) into numbered items, one chunk of items per chunk read.
 * Invalid JSON, bytes that are not UTF-8, lone surrogates and duplicate keys become items with a problem, so the
 * caller decides whether to stop or skip; nothing is changed silently. Handles CRLF and a leading byte-order mark.
 * Lines are split on bytes (a newline byte is never part of a UTF-8 character), so a character split across reads
 * is whole again before it is decoded.
 */
export async function* ndjsonItems(input: AsyncIterable<Buffer | string>): AsyncGenerator<SourceItem[]> {
  let rest: Buffer[] = [];
  let restBytes = 0;
  let line = 1;
  let overlong = false; // the current line passed MAX_LINE_BYTES: skip to its end
  let first = true;

  const finish = (bytes: Buffer, items: SourceItem[]) => {
    if (overlong) {
      items.push({ at: line, problem: `line is over ${MAX_LINE_BYTES / 1024 / 1024} MiB; Kinesis takes records up to 1 MiB: make it smaller` });
      overlong = false;
    } else {
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      const item = parseLine(bytes.subarray(0, end), line);
      if (item) items.push(item);
    }
    line++;
  };

  const consume = (chunk: Buffer): SourceItem[] => {
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.subarray(0, 3).equals(UTF8_BOM)) chunk = chunk.subarray(3);
    }
    const items: SourceItem[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      finish(Buffer.concat([...rest, chunk.subarray(start, end)]), items);
      rest = [];
      restBytes = 0;
      start = end + 1;
    }
    if (!overlong && start < chunk.length) {
      rest.push(chunk.subarray(start));
      restBytes += chunk.length - start;
    }
    if (restBytes > MAX_LINE_BYTES) {
      overlong = true;
      rest = [];
      restBytes = 0;
    }
    return items;
  };

  for await (const chunk of input) {
    const items = consume(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (items.length > 0) yield items;
  }
  const items: SourceItem[] = [];
  if (restBytes > 0 || overlong) finish(Buffer.concat(rest), items);
  if (items.length > 0) yield items;
}
