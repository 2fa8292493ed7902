/**
 * Athena's functions that DuckDB lacks or runs differently, as DuckDB macros. A macro in `main` takes the name of a
 * built-in (`date_add`, `regexp_extract`), so the translated text calls it as Athena's own; the built-in stays
 * reachable as `system.main.<name>`. Macros are expanded where they are called: with constant arguments they
 * cost nothing measurable, even over a million rows. What a macro can't do (strptime's format must be constant,
 * lambdas, varargs, operators) is done by the translation instead (`rewrite.ts`).
 *
 * Where a value can't be given as Athena gives it, the macro fails the query with `error()` rather than answer
 * differently.
 */

/** The session the macros assume: Athena divides integers as integers and runs in UTC. */
const fail = (message: string) => `error('${message.replaceAll("'", "''")}')`;

/** Trino's type names, from DuckDB's (`typeof` and the result's column types). */
const TYPE_NAMES = `CASE system.main.typeof(x) WHEN 'INTEGER' THEN 'integer' WHEN 'BIGINT' THEN 'bigint' WHEN 'HUGEINT' THEN 'bigint'
    WHEN 'SMALLINT' THEN 'smallint' WHEN 'TINYINT' THEN 'tinyint' WHEN 'DOUBLE' THEN 'double' WHEN 'FLOAT' THEN 'real'
    WHEN 'VARCHAR' THEN 'varchar' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'DATE' THEN 'date' WHEN 'JSON' THEN 'json'
    WHEN 'TIMESTAMP' THEN 'timestamp(3)' WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp(3) with time zone'
    WHEN 'TIME' THEN 'time(3)' WHEN 'TIME WITH TIME ZONE' THEN 'time(3) with time zone' WHEN 'INTERVAL' THEN 'interval day to second'
    WHEN 'VARCHAR[]' THEN 'array(varchar)' WHEN 'BIGINT[]' THEN 'array(bigint)' WHEN 'INTEGER[]' THEN 'array(integer)'
    WHEN 'DOUBLE[]' THEN 'array(double)' WHEN 'BLOB' THEN 'varbinary' WHEN 'UUID' THEN 'uuid'
    ELSE lower(replace(system.main.typeof(x), ', ', ',')) END`;

export const LEGACY_MACROS: readonly string[] = [
  // CAST(… AS VARCHAR) as Athena writes it: timestamps with milliseconds; doubles only where both print alike.
  // Every branch works on DuckDB's text of the value, so it binds whatever the type (a CASE binds all branches).
  `athena_millis_text(s) AS CASE WHEN system.main.contains(s, '.') THEN rpad(s, 23, '0') ELSE s || '.000' END`,
  `athena_double_text(s) AS CASE WHEN TRY_CAST(s AS DOUBLE) <> 0 AND (abs(TRY_CAST(s AS DOUBLE)) >= 1e7 OR abs(TRY_CAST(s AS DOUBLE)) < 1e-3)
    THEN ${fail("CAST of a double below 0.001 or from 10000000 up AS VARCHAR: Athena writes it as 1.0E10, the local engine can't; use format('%.3f', x), or CAST(x AS DECIMAL(38, 3)) AS VARCHAR, for the same text in both")}
    ELSE s END`,
  `athena_varchar(x) AS CASE system.main.typeof(x)
    WHEN 'TIMESTAMP' THEN athena_millis_text(CAST(x AS VARCHAR))
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN athena_millis_text(replace(CAST(x AS VARCHAR), '+00', '')) || ' UTC'
    WHEN 'DOUBLE' THEN athena_double_text(CAST(x AS VARCHAR))
    ELSE CAST(x AS VARCHAR) END`,
  // Aggregates. Athena's approximations are exact locally (they are within Athena's error bounds).
  `approx_distinct(x) AS count(DISTINCT x), (x, e) AS count(DISTINCT x)`,
  `approx_percentile(x, p) AS quantile_disc(x, p)`,
  `count_if(x) AS count(CASE WHEN x THEN 1 END)`,
  `arbitrary(x) AS any_value(x)`,
  `max_by(x, y) AS arg_max_null(x, y), (x, y, n) AS arg_max(x, y, n)`,
  `min_by(x, y) AS arg_min_null(x, y), (x, y, n) AS arg_min(x, y, n)`,
  // Strings and regular expressions.
  `to_hex(b) AS hex(b)`,
  `md5(b) AS unhex(system.main.md5(b))`,
  `sha256(b) AS unhex(system.main.sha256(b))`,
  `format(f) AS printf(f), (f, a) AS printf(f, a), (f, a, b) AS printf(f, a, b), (f, a, b, c) AS printf(f, a, b, c)`,
  // Arrays and JSON: subscripts count from 1 in both.
  `json_extract_scalar(j, p) AS CASE WHEN json_type(j, p) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(j, p) END`,
  `json_parse(s) AS json(s)`,
  `json_format(j) AS CAST(j AS VARCHAR)`,
  `json_size(j, p) AS CASE json_type(j, p) WHEN 'ARRAY' THEN json_array_length(j, p) WHEN 'OBJECT' THEN len(json_keys(j, p)) ELSE 0 END`,
  `typeof(x) AS ${TYPE_NAMES}`,
];
