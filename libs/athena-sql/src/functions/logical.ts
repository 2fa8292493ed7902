import { is, same, type ChapterTable } from './table';

/** Trino's truth tables, every pair of TRUE, FALSE and NULL. */
const VALUES = ['TRUE', 'FALSE', 'CAST(null AS boolean)'] as const;
const truth = (v: string) => (v === 'TRUE' ? true : v === 'FALSE' ? false : null);
const text = (v: boolean | null) => (v === null ? null : String(v));
const and = (a: boolean | null, b: boolean | null) => (a === false || b === false ? false : a === null || b === null ? null : true);
const or = (a: boolean | null, b: boolean | null) => (a === true || b === true ? true : a === null || b === null ? null : false);
const pairs = VALUES.flatMap((a) => VALUES.map((b) => [a, b] as const));

export const LOGICAL: ChapterTable = {
  chapter: 'logical',
  rows: [
    same('AND', pairs.map(([a, b]) => is(`${a} AND ${b}`, text(and(truth(a), truth(b))))) as [ReturnType<typeof is>, ...ReturnType<typeof is>[]]),
    same('OR', pairs.map(([a, b]) => is(`${a} OR ${b}`, text(or(truth(a), truth(b))))) as [ReturnType<typeof is>, ...ReturnType<typeof is>[]]),
    same('NOT', [is('NOT TRUE', 'false'), is('NOT FALSE', 'true'), is('NOT CAST(null AS boolean)', null)]),
  ],
};
