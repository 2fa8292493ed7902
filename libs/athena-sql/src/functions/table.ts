/**
 * The function table: every function and operator of Athena engine v3 (Trino's chapters, as Athena's "Athena engine
 * version 3 functions" page lists them), each with its status locally. A row is **same** with the checks that show
 * it (each run in DuckDB by `functions.spec.ts`, the answer known independently of DuckDB: Trino's documented
 * example, or computed in the test), or **refused** with why and how to write it locally. The types make a row
 * without its checks, or without its refusal text, fail to compile. The README's counts and tables are printed from
 * these rows (`scripts/readme-tables.ts`), and the translator refuses a refused function by its row.
 */

export const CHAPTERS = [
  'aggregate',
  'array',
  'binary',
  'bitwise',
  'comparison',
  'conditional',
  'conversion',
  'date and time',
  'decimal',
  'JSON',
  'lambda',
  'logical',
  'map',
  'math',
  'regular expression',
  'string',
  'URL',
  'UUID',
  'window',
  'Teradata',
] as const;

export type Chapter = (typeof CHAPTERS)[number];

/** One result value as Athena prints it (GetQueryResults' text): `3.0`, `[1, 2]`, `{a=1}`; null for NULL. */
export type Value = string | null;

/**
 * One check: Athena SQL (an expression, run as `SELECT <sql>`, or a whole query from SELECT/WITH/VALUES), and
 * what Athena answers: a value, rows (a query's, in order when `ordered`), or a failure (Athena fails the query:
 * the local engine must fail it too, never answer).
 */
export type Check =
  | { readonly sql: string; readonly returns: Value; readonly type?: string }
  | { readonly sql: string; readonly rows: readonly (readonly Value[])[]; readonly ordered?: boolean }
  | { readonly sql: string; readonly fails: RegExp }
  | { readonly sql: string; readonly refused: RegExp };

interface RowBase {
  /** The function's or operator's name as written in SQL (`date_diff`, `||`, `LIKE`). */
  readonly name: string;
  /** A form that differs from the function's others (`normalize(string, form)`), when the row is about one form. */
  readonly form?: string;
  /** A known difference that stays, or a form refused at run time, said in the README. */
  readonly note?: string;
}

export interface SameRow extends RowBase {
  readonly status: 'same';
  readonly checks: readonly [Check, ...Check[]];
}

export interface RefusedRow extends RowBase {
  readonly status: 'refused';
  /** Why the local engine can't give Athena's answer. */
  readonly reason: string;
  /** How to write it locally (completes "…does not have: <instead>, or run it with --target aws"). */
  readonly instead: string;
  /** A call the translator refuses, when `<name>()` is not one (a form of the function: `normalize(s, NFD)`). */
  readonly sql?: string;
}

export type FunctionRow = SameRow | RefusedRow;

export interface ChapterTable {
  readonly chapter: Chapter;
  readonly rows: readonly FunctionRow[];
}

type Options = Pick<RowBase, 'form' | 'note'>;

export const same = (name: string, checks: readonly [Check, ...Check[]], options: Options = {}): SameRow => ({ name, status: 'same', checks, ...options });

export const refused = (name: string, reason: string, instead: string, options: Options & { sql?: string } = {}): RefusedRow => ({
  name,
  status: 'refused',
  reason,
  instead,
  ...options,
});

/** `SELECT <sql>` answers `returns` (with Athena's type name, when given). */
export const is = (sql: string, returns: Value, type?: string): Check => (type === undefined ? { sql, returns } : { sql, returns, type });

/** Athena fails the query, with this in its message; locally it must fail too. */
export const fails = (sql: string, message: RegExp): Check => ({ sql, fails: message });

/** Athena answers, the local engine can't give the same answer: it refuses in one line (this in it), never answers. */
export const refuses = (sql: string, message: RegExp): Check => ({ sql, refused: message });

/** A whole query and its rows, in any order unless `ordered`. */
export const rows = (sql: string, values: readonly (readonly Value[])[], ordered = false): Check => ({ sql, rows: values, ordered });

/**
 * The function groups of Athena that the local engine refuses as a whole (Trino's chapters outside the table):
 * their functions by name, why, and what to do instead.
 */
export interface RefusedGroup {
  readonly group: string;
  readonly names: readonly string[];
  readonly reason: string;
  readonly instead: string;
}
