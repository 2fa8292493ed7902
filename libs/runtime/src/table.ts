export type Align = 'left' | 'right';

export interface TableOptions {
  /** Column names, printed first with a rule under them. */
  header?: readonly string[];
  /** Per column; left by default. */
  align?: readonly Align[];
  /** Between columns: `' | '` for query results, two spaces elsewhere. */
  gap?: string;
  /** Before every line. */
  indent?: string;
}

/**
 * An aligned plain-text table: every table the kit prints (query results, the producer's summary, --help, the
 * benchmarks) goes through here. Trailing spaces are trimmed, so a last column of text is never padded.
 */
export function renderTable(rows: ReadonlyArray<ReadonlyArray<string>>, options: TableOptions = {}): string {
  const { header, align = [], gap = '  ', indent = '' } = options;
  const all = header ? [header, ...rows] : rows;
  // Loops, not Math.max(...rows): spreading every row as arguments overflows the stack on large results.
  const columns = all.reduce((n, row) => Math.max(n, row.length), 0);
  const widths = Array.from({ length: columns }, (_, i) => all.reduce((width, row) => Math.max(width, (row[i] ?? '').length), 0));
  const line = (row: ReadonlyArray<string>, alignCells: boolean) =>
    `${indent}${widths.map((w, i) => (alignCells && align[i] === 'right' ? (row[i] ?? '').padStart(w) : (row[i] ?? '').padEnd(w))).join(gap)}`.trimEnd();
  const ruleGap = gap.includes('|') ? gap.replaceAll(' ', '-').replace('|', '+') : gap;
  const lines = rows.map((row) => line(row, true));
  if (header) lines.unshift(line(header, false), `${indent}${widths.map((w) => '-'.repeat(w)).join(ruleGap)}`);
  return lines.join('\n');
}
