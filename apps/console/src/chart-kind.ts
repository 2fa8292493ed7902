/**
 * Which chart a query result makes, from its columns alone: a time column with numbers becomes a line (one per
 * number column), a category with one number becomes bars; any other shape gets no chart, and says why.
 */
import { isCategoryType, isNumericType, isTimeType } from '@lakehouse/console-api';

export const MAX_LINES = 8;
export const MAX_BARS = 200;

export type ChartPlan = { kind: 'line'; x: number; ys: number[] } | { kind: 'bars'; x: number; y: number } | { kind: 'none'; reason: string };

export function chartPlan(columns: ReadonlyArray<{ type: string }>, rowCount: number): ChartPlan {
  if (rowCount === 0) return { kind: 'none', reason: 'No rows to chart.' };
  const time = indexes(columns, isTimeType);
  const numbers = indexes(columns, isNumericType);
  const categories = indexes(columns, (t) => isCategoryType(t));
  const shape = 'A chart needs a time column and number columns (a line), or a text column and a number column (bars).';
  if (time.length === 1 && numbers.length >= 1 && time.length + numbers.length === columns.length) {
    if (numbers.length > MAX_LINES) return { kind: 'none', reason: `More than ${MAX_LINES} number columns to draw as lines.` };
    return { kind: 'line', x: time[0] as number, ys: numbers };
  }
  if (categories.length === 1 && numbers.length === 1 && columns.length === 2) {
    if (rowCount > MAX_BARS) return { kind: 'none', reason: `${rowCount} categories are too many bars (at most ${MAX_BARS}).` };
    return { kind: 'bars', x: categories[0] as number, y: numbers[0] as number };
  }
  return { kind: 'none', reason: shape };
}

function indexes(columns: ReadonlyArray<{ type: string }>, test: (type: string) => boolean): number[] {
  const out: number[] = [];
  columns.forEach((c, i) => {
    if (test(c.type)) out.push(i);
  });
  return out;
}
