/**
 * The READMEs' SQL parts, printed from the function table (`src/functions`): the root README's rows of "Where the
 * local lakehouse differs from AWS" and its count of Athena's functions per chapter, and apps/lake's list of what is
 * refused and where the semantics differ. `readme-tables.spec.ts` checks that the READMEs hold exactly this;
 * `node --import tsx libs/athena-sql/scripts/readme-tables.ts --write` writes it into them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chapterCount, FUNCTION_TABLE, REFUSED_GROUPS, SEMANTICS } from '../src/functions';
import type { FunctionRow, RefusedRow } from '../src/functions/table';

/**
 * A generated part of a README: a block between `<!-- readme-tables:<name> -->` and `<!-- /readme-tables:<name> -->`,
 * or rows of a table (a comment would end the table), found by their first cell.
 */
export interface Block {
  readonly file: 'README.md' | 'apps/lake/README.md';
  readonly name: string;
  readonly text: string;
  readonly rows?: true;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => cell(`\`${text.replaceAll('`', "'")}\``);
const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

function totals() {
  const counts = FUNCTION_TABLE.map(chapterCount);
  const same = counts.reduce((n, c) => n + c.same, 0);
  const refused = counts.reduce((n, c) => n + c.refused, 0);
  const forms = counts.reduce((n, c) => n + c.refusedForms, 0);
  return { counts, same, refused, forms, all: same + refused };
}

/** The root README's count of Athena's functions, chapter by chapter. */
export function chapterCountsTable(): string {
  const { counts, same, refused, forms, all } = totals();
  const rows = counts.map((c) => `| ${c.chapter} | ${c.same + c.refused} | ${c.same} | ${c.refused} | ${c.refusedForms} |`);
  return [
    `Athena's functions (engine v3: Trino's chapters) on the local engine, from the function table in`,
    '`libs/athena-sql/src/functions` (each **same** function is run in DuckDB against Athena’s documented answer, each',
    `refusal is checked): **${same} of ${all} give Athena's answer (${percent(same, all)})**, ${refused} are refused by name, and ${forms} forms of`,
    `functions that run are refused (a \`format\` conversion, a JSON path with a filter …). ${REFUSED_GROUPS.length} chapters outside the table are`,
    `refused as a whole: ${REFUSED_GROUPS.map((g) => g.group).join(', ')}.`,
    '',
    '| chapter | functions | same | refused | refused forms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **all** | **${all}** | **${same}** | **${refused}** | **${forms}** |`,
  ].join('\n');
}

/** The root README's SQL rows of "Where the local lakehouse differs from AWS". */
export function differencesRows(): string {
  const { same, all } = totals();
  return [
    `| SQL engine | Athena (Trino dialect), bytes-scanned billing and workgroup limits | the same Athena SQL on DuckDB, read-only, no limits: ${same} of ${all} functions give Athena's answer (${percent(same, all)}, by chapter below); the others, and what can't give Athena's answer, are refused in one line saying how to write it locally, never answered differently |`,
    `| SQL semantics | Trino's: ${SEMANTICS.map((s) => s.topic).join('; ')} | the same, each checked in DuckDB (apps/lake/README.md, "SQL over the lake"); approximate aggregates are exact |`,
    `| SQL functions outside the table | ${REFUSED_GROUPS.map((g) => g.group).join(', ')} | refused by name (no such types locally) |`,
  ].join('\n');
}

const label = (row: FunctionRow) => (row.form ? row.form : `${row.name}`);

/** apps/lake's list of refusals, groups, semantics and the differences that stay. */
export function lakeSqlSection(): string {
  const refused = FUNCTION_TABLE.flatMap((t) => t.rows.filter((r): r is RefusedRow => r.status === 'refused').map((r) => ({ chapter: t.chapter, row: r })));
  const notes = FUNCTION_TABLE.flatMap((t) => t.rows.filter((r) => r.note).map((r) => `${code(label(r))}: ${r.note}`));
  return [
    '- **Where the answer can’t be Athena’s, the query is refused**, in one line, never answered differently:',
    '  `error: <name> is an Athena function the local engine does not have: <how to write it locally>, or run it with',
    '  --target aws` (and `<construct> is not supported by the local engine: …` for a construct; DuckDB’s own functions are',
    '  named as DuckDB’s, with Athena’s way to write them). The function table refuses:',
    '',
    '  | function | chapter | refused because | write instead |',
    '  | --- | --- | --- | --- |',
    ...refused.map(({ chapter, row }) => `  | ${code(label(row))} | ${chapter} | ${cell(row.reason)} | ${cell(row.instead)} |`),
    '',
    `  Refused by name, as whole chapters: ${REFUSED_GROUPS.map((g) => `${g.group} (${g.names.length} functions: ${g.instead})`).join('; ')}.`,
    '- **Semantics**: where DuckDB and Athena differ without a word, the local engine gives Athena’s answer (each checked',
    '  in DuckDB by `libs/athena-sql/src/functions/functions.spec.ts`):',
    '',
    '  | | Athena | locally |',
    '  | --- | --- | --- |',
    ...SEMANTICS.map((s) => `  | ${cell(s.topic)} | ${cell(s.athena)} | ${cell(s.local)} |`),
    '',
    '  Differences that stay, said here so nobody is surprised:',
    '',
    ...notes.map((n) => `  - ${n}`),
  ].join('\n');
}

export const BLOCKS: readonly Block[] = [
  { file: 'README.md', name: 'sql-differences', text: differencesRows(), rows: true },
  { file: 'README.md', name: 'function-counts', text: chapterCountsTable() },
  { file: 'apps/lake/README.md', name: 'sql-refusals', text: lakeSqlSection() },
];

const marks = (name: string) => [`<!-- readme-tables:${name} -->`, `<!-- /readme-tables:${name} -->`] as const;

const firstCell = (row: string) => row.split('|')[1]?.trim() ?? '';

/** A README's table rows replaced by the block's (by their first cell; a new row after the one before it). */
function withRows(readme: string, block: Block): string | undefined {
  const lines = readme.split('\n');
  const rows = block.text.split('\n');
  for (const [i, row] of rows.entries()) {
    const at = lines.findIndex((line) => line.startsWith('| ') && firstCell(line) === firstCell(row));
    if (at >= 0) {
      lines[at] = row;
      continue;
    }
    const before = lines.findIndex((line) => line.startsWith('| ') && firstCell(line) === firstCell(rows[i - 1] ?? ''));
    if (before < 0) return undefined;
    lines.splice(before + 1, 0, row);
  }
  return lines.join('\n');
}

/** The rows of a table block as the README has them (by first cell). */
function rowsIn(readme: string, block: Block): string {
  const lines = readme.split('\n');
  return block.text
    .split('\n')
    .map((row) => lines.find((line) => line.startsWith('| ') && firstCell(line) === firstCell(row)) ?? '')
    .join('\n');
}

/** A README's text with a block's text between its marks; undefined when the README lacks the marks. */
export function withBlock(readme: string, block: Block): string | undefined {
  if (block.rows) return withRows(readme, block);
  const [open, close] = marks(block.name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + open.length)}\n${block.text}\n${readme.slice(end)}`;
}

/** The block's text as a README has it: between its marks, or its rows. */
export function blockIn(readme: string, block: Block): string | undefined {
  if (block.rows) return rowsIn(readme, block);
  const [open, close] = marks(block.name);
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  return start < 0 || end < start ? undefined : readme.slice(start + open.length + 1, end - 1);
}

function main(root: string): void {
  for (const block of BLOCKS) {
    const path = join(root, block.file);
    const updated = withBlock(readFileSync(path, 'utf8'), block);
    if (updated === undefined) throw new Error(`${block.file} lacks the marks of ${block.name}`);
    writeFileSync(path, updated);
  }
}

if (process.argv.includes('--write')) main(join(import.meta.dirname, '../../..'));
else if (process.argv[1]?.endsWith('readme-tables.ts')) process.stdout.write(`${BLOCKS.map((b) => `${b.file} ${b.name}:\n${b.text}`).join('\n\n')}\n`);
