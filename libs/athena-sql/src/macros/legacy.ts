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

/** Trino's type names, from DuckDB's (`typeof` and the result's column types). */
const TYPE_NAMES = `CASE system.main.typeof(x) WHEN 'INTEGER' THEN 'integer' WHEN 'BIGINT' THEN 'bigint' WHEN 'HUGEINT' THEN 'bigint'
    WHEN 'SMALLINT' THEN 'smallint' WHEN 'TINYINT' THEN 'tinyint' WHEN 'DOUBLE' THEN 'double' WHEN 'FLOAT' THEN 'real'
    WHEN 'VARCHAR' THEN 'varchar' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'DATE' THEN 'date' WHEN 'JSON' THEN 'json'
    WHEN 'TIMESTAMP' THEN 'timestamp(3)' WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp(3) with time zone'
    WHEN 'TIME' THEN 'time(3)' WHEN 'TIME WITH TIME ZONE' THEN 'time(3) with time zone' WHEN 'INTERVAL' THEN 'interval day to second'
    WHEN 'VARCHAR[]' THEN 'array(varchar)' WHEN 'BIGINT[]' THEN 'array(bigint)' WHEN 'INTEGER[]' THEN 'array(integer)'
    WHEN 'DOUBLE[]' THEN 'array(double)' WHEN 'BLOB' THEN 'varbinary' WHEN 'UUID' THEN 'uuid'
    ELSE lower(system.main.replace(system.main.typeof(x), ', ', ',')) END`;

export const LEGACY_MACROS: readonly string[] = [
  // CAST(… AS VARCHAR) as Athena writes it: timestamps with milliseconds; doubles only where both print alike.
  // Every branch works on DuckDB's text of the value, so it binds whatever the type (a CASE binds all branches).
  `athena_millis_text(s) AS CASE WHEN system.main.contains(s, '.') THEN system.main.rpad(s, 23, '0') ELSE s || '.000' END`,
  // A double as Java writes it (Double.toString, shortest digits as DuckDB's): 1.0E7 and 1.5E-5 outside [0.001, 1e7).
  `athena_double_text(s) AS CASE WHEN s IN ('nan', '-nan') THEN 'NaN' WHEN s = 'inf' THEN 'Infinity' WHEN s = '-inf' THEN '-Infinity'
    WHEN abs(CAST(s AS DOUBLE)) = 0 OR (abs(CAST(s AS DOUBLE)) >= 1e-3 AND abs(CAST(s AS DOUBLE)) < 1e7) THEN s
    ELSE athena_scientific(CASE WHEN starts_with(s, '-') THEN '-' ELSE '' END, system.main.split_part(system.main.ltrim(s, '-'), 'e', 1), coalesce(TRY_CAST(system.main.split_part(s, 'e', 2) AS INTEGER), 0)) END`,
  // sign, digits with a point (DuckDB's mantissa), DuckDB's exponent → d.dddE±n.
  `athena_scientific(sign, m, e) AS athena_scientific_digits(sign, system.main.rtrim(system.main.ltrim(system.main.replace(m, '.', ''), '0'), '0'),
    e + CASE WHEN system.main.ltrim(system.main.split_part(m, '.', 1), '0') <> '' THEN system.main.length(system.main.ltrim(system.main.split_part(m, '.', 1), '0')) - 1
      ELSE -(system.main.length(system.main.split_part(m, '.', 2)) - system.main.length(system.main.ltrim(system.main.split_part(m, '.', 2), '0')) + 1) END)`,
  `athena_scientific_digits(sign, d, e) AS sign || d[1] || '.' || coalesce(nullif(d[2:], ''), '0') || 'E' || CAST(e AS VARCHAR)`,
  // Typed overloads for the common types (each cheap); the others (doubles, decimals …) by their type's name.
  `athena_varchar(x) AS athena_varchar_of(x), (x VARCHAR) AS x, (x BOOLEAN) AS CAST(x AS VARCHAR), (x DATE) AS CAST(x AS VARCHAR),
    (x TIMESTAMP) AS athena_millis_text(CAST(x AS VARCHAR)), ${['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'].map((t) => `(x ${t}) AS CAST(x AS VARCHAR)`).join(', ')}`,
  `athena_varchar_of(x) AS CASE system.main.typeof(x)
    WHEN 'TIMESTAMP' THEN athena_millis_text(CAST(x AS VARCHAR))
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN athena_millis_text(system.main.replace(CAST(x AS VARCHAR), '+00', '')) || ' UTC'
    WHEN 'DOUBLE' THEN athena_double_text(CAST(x AS VARCHAR))
    ELSE CAST(x AS VARCHAR) END`,
  // Strings and regular expressions.
  `to_hex(b) AS hex(b)`,
  `md5(b) AS unhex(system.main.md5(b))`,
  `sha256(b) AS unhex(system.main.sha256(b))`,
  `typeof(x) AS ${TYPE_NAMES}`,
];
