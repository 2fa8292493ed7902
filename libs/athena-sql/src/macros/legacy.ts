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

/** Locally DATE ± INTERVAL is a timestamp: a date the translation can't see is refused, not answered differently. */
const onDate = (what: string, example: string) =>
  fail(`${what} on a DATE column: locally it would return a timestamp where Athena returns a date; write the date as CAST(… AS DATE) in the query (${example}) and it is translated`);

const DATE_UNIT = `CASE lower(unit) WHEN 'millisecond' THEN INTERVAL 1 MILLISECOND WHEN 'second' THEN INTERVAL 1 SECOND
    WHEN 'minute' THEN INTERVAL 1 MINUTE WHEN 'hour' THEN INTERVAL 1 HOUR WHEN 'day' THEN INTERVAL 1 DAY WHEN 'week' THEN INTERVAL 7 DAY
    WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'quarter' THEN INTERVAL 3 MONTH WHEN 'year' THEN INTERVAL 1 YEAR
    ELSE ${fail("date_add: the unit must be one of millisecond, second, minute, hour, day, week, month, quarter, year")} END`;

/** Trino's type names, from DuckDB's (`typeof` and the result's column types). */
const TYPE_NAMES = `CASE system.main.typeof(x) WHEN 'INTEGER' THEN 'integer' WHEN 'BIGINT' THEN 'bigint' WHEN 'HUGEINT' THEN 'bigint'
    WHEN 'SMALLINT' THEN 'smallint' WHEN 'TINYINT' THEN 'tinyint' WHEN 'DOUBLE' THEN 'double' WHEN 'FLOAT' THEN 'real'
    WHEN 'VARCHAR' THEN 'varchar' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'DATE' THEN 'date' WHEN 'JSON' THEN 'json'
    WHEN 'TIMESTAMP' THEN 'timestamp(3)' WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamp(3) with time zone'
    WHEN 'VARCHAR[]' THEN 'array(varchar)' WHEN 'BIGINT[]' THEN 'array(bigint)' WHEN 'INTEGER[]' THEN 'array(integer)'
    WHEN 'DOUBLE[]' THEN 'array(double)' WHEN 'BLOB' THEN 'varbinary' WHEN 'UUID' THEN 'uuid'
    ELSE lower(replace(system.main.typeof(x), ', ', ',')) END`;

export const LEGACY_MACROS: readonly string[] = [
  // Date and time. date_format, date_parse, format_datetime and parse_datetime are translated (constant formats).
  `from_iso8601_timestamp(s) AS CASE WHEN regexp_matches(s, 'T.*[+-]\\d\\d(:?\\d\\d)?$') AND NOT regexp_matches(s, '[+-]00(:?00)?$')
    THEN ${fail('from_iso8601_timestamp with a UTC offset other than Z: local timestamps are in UTC; give the time in UTC with a Z')}
    ELSE CAST(s AS TIMESTAMPTZ) END`,
  `from_iso8601_date(s) AS CAST(s AS DATE)`,
  `to_iso8601(x) AS CASE system.main.typeof(x) WHEN 'DATE' THEN strftime(x, '%Y-%m-%d')
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x, '%Y-%m-%dT%H:%M:%S.%gZ') ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%g') END`,
  `from_unixtime(x) AS to_timestamp(x)`,
  `to_unixtime(x) AS epoch(x)`,
  `date_add(unit, n, x) AS CASE WHEN system.main.typeof(x) = 'DATE' THEN ${onDate('date_add', "date_add('day', 1, CAST(d AS DATE))")}
    ELSE x + n * (${DATE_UNIT}) END`,
  `date_diff(unit, a, b) AS date_sub(unit, a, b)`,
  `date_trunc(unit, x) AS CASE WHEN system.main.typeof(x) = 'DATE' THEN ${onDate('date_trunc', "date_trunc('month', CAST(d AS DATE))")}
    ELSE system.main.date_trunc(unit, x) END`,
  `day_of_week(x) AS isodow(x)`,
  `dow(x) AS isodow(x)`,
  `day_of_year(x) AS dayofyear(x)`,
  `doy(x) AS dayofyear(x)`,
  `day_of_month(x) AS day(x)`,
  `week_of_year(x) AS week(x)`,
  `year_of_week(x) AS isoyear(x)`,
  `yow(x) AS isoyear(x)`,
  `millisecond(x) AS system.main.millisecond(x) % 1000`,
  `last_day_of_month(x) AS last_day(x)`,
  `date(x) AS CAST(x AS DATE)`,
  `current_timezone() AS 'UTC'`,
  // Helpers of the translation: a time zone's wall clock, and a zoned time shown as Athena shows it.
  `athena_at_zone(x, zone) AS timezone(zone, CAST(x AS TIMESTAMPTZ))`,
  `athena_zoned_text(wall, zone) AS strftime(wall, '%Y-%m-%d %H:%M:%S.%g') || ' ' || zone`,
  `athena_not_date(x) AS CASE WHEN system.main.typeof(x) = 'DATE' THEN ${onDate('DATE ± INTERVAL', "CAST(d AS DATE) + INTERVAL '1' DAY")} ELSE x END`,
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
