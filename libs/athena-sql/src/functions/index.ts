import { ON_ATHENA } from '../errors';
import { AGGREGATE } from './aggregate';
import { ARRAY } from './array';
import { BINARY } from './binary';
import { BITWISE } from './bitwise';
import { COMPARISON } from './comparison';
import { CONDITIONAL } from './conditional';
import { CONVERSION } from './conversion';
import { DATETIME } from './datetime';
import { DECIMAL } from './decimal';
import { JSON_FUNCTIONS } from './json';
import { LOGICAL } from './logical';
import { TERADATA } from './teradata';
import { URL_FUNCTIONS } from './url';
import { UUID } from './uuid';
import { WINDOW } from './window';
import { LAMBDA } from './lambda';
import { MAP } from './map';
import { MATH } from './math';
import { REGEXP } from './regexp';
import { STRING } from './string';
import { REFUSED_GROUPS } from './groups';
import { SEMANTICS } from './semantics';
import { CHAPTERS, type ChapterTable, type FunctionRow, type RefusedGroup, type RefusedRow } from './table';

export { REFUSED_GROUPS, SEMANTICS };

const TABLES: readonly ChapterTable[] = [
  AGGREGATE,
  ARRAY,
  BINARY,
  BITWISE,
  COMPARISON,
  CONDITIONAL,
  CONVERSION,
  DATETIME,
  DECIMAL,
  JSON_FUNCTIONS,
  LAMBDA,
  LOGICAL,
  MAP,
  MATH,
  REGEXP,
  STRING,
  TERADATA,
  URL_FUNCTIONS,
  UUID,
  WINDOW,
];

/** The function table, chapter by chapter in the order of `CHAPTERS`. */
export const FUNCTION_TABLE: readonly ChapterTable[] = CHAPTERS.map((chapter) => TABLES.find((t) => t.chapter === chapter) ?? { chapter, rows: [] });

/** The one line a refused function gets (the translator's, and the README's). */
export function refusalOf(row: Pick<RefusedRow, 'name' | 'instead'>): string {
  return `${row.name} is an Athena function the local engine does not have: ${row.instead}, ${ON_ATHENA}`;
}

/** Every row of a function, by its lower-case name (a function can have several rows: its forms, or chapters). */
const ROWS_BY_NAME: ReadonlyMap<string, readonly FunctionRow[]> = FUNCTION_TABLE.flatMap((t) => t.rows).reduce(
  (byName, row) => byName.set(row.name.toLowerCase(), [...(byName.get(row.name.toLowerCase()) ?? []), row]),
  new Map<string, readonly FunctionRow[]>(),
);

const GROUP_BY_NAME: ReadonlyMap<string, RefusedGroup> = new Map(REFUSED_GROUPS.flatMap((g) => g.names.map((name) => [name.toLowerCase(), g] as const)));

/** How Athena's function `name` is known locally: its rows, a refused group, or not at all (not an Athena function). */
export function athenaFunction(name: string): { rows: readonly FunctionRow[] } | { group: RefusedGroup } | undefined {
  const key = name.toLowerCase();
  const rows = ROWS_BY_NAME.get(key);
  if (rows) return { rows };
  const group = GROUP_BY_NAME.get(key);
  return group ? { group } : undefined;
}

/** Every function name of the table, for a suggestion when a query calls a name Athena lacks. */
export const ATHENA_FUNCTION_NAMES: readonly string[] = [
  ...new Set(FUNCTION_TABLE.flatMap((t) => t.rows.map((r) => r.name.toLowerCase())).filter((n) => /^[a-z_0-9]+$/.test(n))),
];

/** A chapter's count: its functions that give Athena's answer, those refused, and the refused forms of the former. */
export interface ChapterCount {
  readonly chapter: string;
  readonly same: number;
  readonly refused: number;
  readonly refusedForms: number;
}

/**
 * The counts of one chapter, by function: a function is **same** when a row of it is (it runs, giving Athena's
 * answer), **refused** when every row of it is; a refused row of a function that is same is a refused form of it.
 */
export function chapterCount(table: ChapterTable): ChapterCount {
  const names = [...new Set(table.rows.map((r) => r.name))];
  const isSame = (name: string) => table.rows.some((r) => r.name === name && r.status === 'same');
  const same = names.filter(isSame);
  return {
    chapter: table.chapter,
    same: same.length,
    refused: names.length - same.length,
    refusedForms: table.rows.filter((r) => r.status === 'refused' && isSame(r.name)).length,
  };
}
