import { AGGREGATE_MACROS } from './aggregates';
import { ARRAY_MACROS } from './arrays';
import { BINARY_MACROS } from './binary';
import { CAST_MACROS, FORMAT_MACROS } from './casts';
import { DATETIME_MACROS } from './datetime';
import { JSON_MACROS } from './json';
import { LEGACY_MACROS } from './legacy';
import { MATH_MACROS } from './math';
import { MISC_MACROS } from './misc';
import { STRING_MACROS } from './strings';

/**
 * Athena's functions that DuckDB lacks or runs differently, as DuckDB macros, one file per area. A macro in `main`
 * takes the name of a built-in (`date_add`, `regexp_extract`), so the translated text calls it as Athena's own; the
 * built-in stays reachable as `system.main.<name>`. A macro's overloads are chosen by the arguments' number and,
 * where its parameters are typed, their types (an integer stays an integer). Macros are expanded where they are
 * called: with constant arguments they cost nothing measurable, even over a million rows. What a macro can't do
 * (strptime's format must be constant, lambdas, varargs, operators) is done by the translation (`rewrite.ts`).
 *
 * Where a value can't be given as Athena gives it, the macro fails the query with `error()` rather than answer
 * differently.
 */

/**
 * The session the macros assume: Athena divides integers as integers, runs in UTC, and follows IEEE 754 for
 * doubles (1e0 / 0 is Infinity, not NULL).
 */
export const SESSION_SETTINGS = ['SET integer_division = true', "SET TimeZone = 'UTC'", 'SET ieee_floating_point_ops = true'] as const;

const nameOf = (macro: string) => /^\s*(\w+)/.exec(macro)?.[1] ?? '';

/**
 * The macros in an order DuckDB can create them: a macro's body may only call functions that exist, so each comes
 * after the macros it calls (a later definition of the same name replaces an earlier one).
 */
function inCreationOrder(macros: readonly string[]): string[] {
  const byName = new Map(macros.map((macro) => [nameOf(macro), macro]));
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: ReadonlySet<string>) => {
    const macro = byName.get(name);
    if (!macro || placed.has(name) || path.has(name)) return;
    for (const [, called] of macro.matchAll(/\b(\w+)\s*\(/g))
      if (called !== name && !macro.includes(`system.main.${called}(`)) place(called ?? '', new Set([...path, name]));
    placed.add(name);
    ordered.push(macro);
  };
  for (const name of byName.keys()) place(name, new Set());
  return ordered;
}

export const MACROS: readonly string[] = inCreationOrder([
  ...LEGACY_MACROS,
  ...MATH_MACROS,
  ...STRING_MACROS,
  ...BINARY_MACROS,
  ...ARRAY_MACROS,
  ...MISC_MACROS,
  ...DATETIME_MACROS,
  ...AGGREGATE_MACROS,
  ...CAST_MACROS,
  ...FORMAT_MACROS,
  ...JSON_MACROS,
]).map((macro) => `CREATE OR REPLACE MACRO ${macro}`);

/** Every macro, as one script (one round trip). */
export function macroScript(): string {
  return MACROS.join(';\n');
}

/**
 * The macros with typed overloads (`round(x DOUBLE)`, `athena_divide(a BIGINT, b BIGINT)` …). DuckDB can't choose
 * among them for an aggregate's value (it binds aggregates later): the translation binds such arguments first.
 */
export const TYPED_MACROS: ReadonlySet<string> = new Set(
  MACROS.filter((m) =>
    /[(,]\s*\w+ (TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DOUBLE|FLOAT|VARCHAR|BLOB|BOOLEAN|DATE|TIMESTAMP|INTERVAL|[A-Z]+\[\])\b/.test(m),
  ).map((m) => /MACRO (\w+)/.exec(m)?.[1] ?? ''),
);
