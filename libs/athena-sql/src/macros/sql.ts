import { ON_ATHENA } from '../errors';

/** Helpers to write the macros' SQL. */

/** What an Athena error's message starts with inside DuckDB's, so the local engine can show it as Athena's. */
export const ATHENA_ERROR_PREFIX = 'athena: ';

/** A string as an SQL literal. */
export const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Athena's error (division by zero, an index out of range, a bad argument): the query fails with Athena's message,
 * and TRY catches it as Athena's TRY does. It is a failed cast, not DuckDB's `error()`, which TRY can't take; it is
 * typed as `like` (the other branch of its CASE) so that it changes no type. `message` is an SQL expression.
 */
export const raise = (message: string, like: string) => `cast_to_type(CAST(CAST(${text(ATHENA_ERROR_PREFIX)} || (${message}) AS INTEGER) AS VARCHAR), ${like})`;

/**
 * `value`, once each condition holds; else the first failing condition's Athena error. A condition that is NULL
 * (a NULL argument) passes, and the value is then NULL as Athena's is.
 */
export const checks = (conditions: ReadonlyArray<readonly [string, string]>, value: string) =>
  `CASE ${conditions.map(([condition, message]) => `WHEN NOT (${condition}) THEN ${raise(text(message), value)}`).join(' ')} ELSE ${value} END`;

export const check = (condition: string, message: string, value: string) => checks([[condition, message]], value);

/**
 * A refusal: Athena would answer, the local engine can't give the same answer, so the query fails saying so, in the
 * translator's words for a construct it refuses (`errors.ts`). It is DuckDB's `error()`, which no TRY catches
 * (DuckDB refuses a TRY around it): a refusal never turns into a NULL.
 */
export const refuse = (construct: string, instead: string) => `error(${text(`${construct} is not supported by the local engine: ${instead}, ${ON_ATHENA}`)})`;

/**
 * One overload per integer type (and HUGEINT, which DuckDB's sums and counts give where Athena's are bigint): a
 * macro with typed parameters is chosen by the arguments' types, so an integer stays an integer. (Never a DOUBLE
 * parameter where decimals may come: DuckDB casts a decimal to a double to fit it.)
 */
export const INTEGER_TYPES = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'] as const;

/** `(x T) AS body` for each type, the body's `T` replaced by the type. */
export const overloads = (types: readonly string[], params: (type: string) => string, body: (type: string) => string) =>
  types.map((type) => `(${params(type)}) AS ${body(type)}`).join(',\n    ');
