import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AthenaSqlError } from '../errors';
import { openAthenaSession, type AthenaSession } from '../testing/duckdb-session';
import { chapterCount, FUNCTION_TABLE, REFUSED_GROUPS, refusalOf, SEMANTICS } from '.';
import { CHAPTERS, type Check, type FunctionRow, type RefusedRow } from './table';

/**
 * Every row of the function table, run: each check of a **same** row through the translator and DuckDB with the
 * macros (one session for the whole table), its answer compared as Athena prints it; each **refused** row refused
 * in the one line the table gives. The answers are Trino's documented examples, or computed in the table's files.
 */

const isQuery = (sql: string) => /^\s*(SELECT|WITH|VALUES)\b/i.test(sql);
const queryOf = (sql: string) => (isQuery(sql) ? sql : `SELECT ${sql}`);

const translationMs: number[] = [];
let session: AthenaSession;

beforeAll(async () => {
  session = await openAthenaSession();
});

afterAll(() => {
  session?.close();
  const sorted = [...translationMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  process.stderr.write(`function table: ${sorted.length} translations, median ${median.toFixed(3)} ms, slowest ${(sorted.at(-1) ?? 0).toFixed(2)} ms\n`);
});

async function run(sql: string) {
  const started = performance.now();
  let translated: string;
  try {
    translated = session.translate(sql);
  } finally {
    translationMs.push(performance.now() - started);
  }
  expect(translated).toBeDefined();
  return session.query(sql);
}

async function check(c: Check): Promise<void> {
  const sql = queryOf(c.sql);
  if ('fails' in c) {
    const error = await run(sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `${c.sql} must fail`).toBeInstanceOf(Error);
    const message = (error as Error).message.split('\n')[0] ?? '';
    expect(message).toMatch(c.fails);
    return;
  }
  if ('refused' in c) {
    const error = await run(sql).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `${c.sql} must be refused`).toBeInstanceOf(Error);
    const message = (error as Error).message.split('\n')[0] ?? '';
    expect(message).toMatch(c.refused);
    expect(message).toMatch(/is not supported by the local engine: .*, or run it with --target aws$/);
    return;
  }
  const answer = await run(sql);
  if ('rows' in c) {
    const order = (rows: Array<Array<string | null>>) => (c.ordered ? rows : [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)));
    expect(order(answer.rows)).toEqual(order(c.rows.map((r) => [...r])));
    return;
  }
  expect(answer.rows).toHaveLength(1);
  expect(answer.rows[0]?.[0]).toBe(c.returns);
  if (c.type !== undefined) expect(answer.types[0]).toBe(c.type);
}

const label = (row: FunctionRow) => row.form ?? row.name;

describe.each(FUNCTION_TABLE.map((table) => [table.chapter, table] as const))('%s functions', (_chapter, table) => {
  const sameRows = table.rows.filter((r) => r.status === 'same');
  const refusedRows = table.rows.filter((r): r is RefusedRow => r.status === 'refused');
  if (sameRows.length > 0) {
    it.each(sameRows.flatMap((row) => row.checks.map((c) => [`${label(row)}: ${c.sql}`, c] as const)))('%s', async (_name, c) => {
      await check(c);
    });
  }
  if (refusedRows.length > 0) {
    it.each(refusedRows.map((row) => [label(row), row] as const))('refuses %s, saying how to write it locally', (_name, row) => {
      const sql = queryOf(row.sql ?? `${row.name}()`);
      expect(() => session.translate(sql)).toThrow(AthenaSqlError);
      expect(() => session.translate(sql)).toThrow(refusalOf(row));
    });
  }
});

describe('semantics', () => {
  it.each(SEMANTICS.flatMap((row) => row.checks.map((c) => [`${row.topic}: ${c.sql}`, c] as const)))('%s', async (_name, c) => {
    await check(c);
  });
});

describe('the function table', () => {
  it('has every listed chapter, each function once', () => {
    expect(FUNCTION_TABLE.map((t) => t.chapter)).toEqual([...CHAPTERS]);
    const keys = FUNCTION_TABLE.flatMap((t) => t.rows.map((r) => `${t.chapter}: ${label(r)}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives Athena’s answer for at least 95% of the functions of the listed chapters', () => {
    const counts = FUNCTION_TABLE.map(chapterCount);
    const same = counts.reduce((n, c) => n + c.same, 0);
    const all = counts.reduce((n, c) => n + c.same + c.refused, 0);
    expect(same / all).toBeGreaterThanOrEqual(0.95);
  });

  it.each(REFUSED_GROUPS.flatMap((g) => g.names.map((name) => [name, g] as const)))('refuses %s with its group', (name, group) => {
    expect(() => session.translate(`SELECT ${name}(x) FROM t`)).toThrow(`${name} is an Athena function the local engine does not have: ${group.instead}`);
  });
});
