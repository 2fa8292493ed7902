/**
 * Where an SQL error points, as a range of the document: the lake reports 1-based line and column in the SQL as sent;
 * the range covers the word there (or one character; past a line's end, its last one), clamped to the document. Pure: @codemirror/state runs in node.
 */
import type { Text } from '@codemirror/state';

export interface ErrorRange {
  from: number;
  to: number;
  line: number;
}

export function errorRange(doc: Text, line: number | undefined, column: number | undefined): ErrorRange | null {
  if (line === undefined || !Number.isInteger(line) || line < 1) return null;
  const l = doc.line(Math.min(line, doc.lines));
  const col = column !== undefined && Number.isInteger(column) && column >= 1 ? column : 1;
  // Past the end ("syntax error at end of input"): the line's last character.
  if (col - 1 >= l.length) return { from: Math.max(l.from, l.to - 1), to: l.to, line: l.number };
  const from = l.from + col - 1;
  const word = /^[\w$."]+/.exec(l.text.slice(col - 1));
  const to = word ? from + word[0].length : from + 1;
  return { from, to, line: l.number };
}

/**
 * A position written in an engine's message, for an `ApiError` that came without `line`/`column`: Trino's and
 * Athena's `line 3:8: …`, or `(line 3, column 8)`. DuckDB's `LINE 3:` gives the line only.
 */
export function positionInMessage(message: string): { line?: number; column?: number } {
  const m = /\bline (\d+):(\d+)\b/i.exec(message) ?? /\bline (\d+), column (\d+)\b/i.exec(message);
  if (m) return { line: Number(m[1]), column: Number(m[2]) };
  const lineOnly = /\bLINE (\d+):/.exec(message);
  return lineOnly ? { line: Number(lineOnly[1]) } : {};
}
