import { raise, refuse } from './sql';

/**
 * Dates and times. A date stays a date (date_add, date_trunc, ± INTERVAL on a DATE give a DATE, as Athena's); units
 * are Trino's (week is 7 days, quarter 3 months); date_diff counts whole units; the extraction functions are ISO's
 * (day_of_week: Monday is 1; week: ISO week). The session runs in UTC, as Athena's. Zoned times (AT TIME ZONE,
 * at_timezone, with_timezone, from_unixtime(x, zone)) are followed by the translation (`rewrite.ts`), which asks
 * the `athena_*zone*` helpers for their wall clocks, offsets and text.
 */

/** The interval of one unit (Trino's units); any other name fails as Athena fails it. */
const unitInterval = (field: string) => `CASE lower(unit)
    WHEN 'millisecond' THEN INTERVAL 1 MILLISECOND WHEN 'second' THEN INTERVAL 1 SECOND WHEN 'minute' THEN INTERVAL 1 MINUTE
    WHEN 'hour' THEN INTERVAL 1 HOUR WHEN 'day' THEN INTERVAL 1 DAY WHEN 'week' THEN INTERVAL 7 DAY
    WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'quarter' THEN INTERVAL 3 MONTH WHEN 'year' THEN INTERVAL 1 YEAR
    ELSE ${raise(`'''' || unit || ''' is not a valid ${field} field'`, 'INTERVAL 1 DAY')} END`;

const DATE_UNITS = "('day', 'week', 'month', 'quarter', 'year')";
const TIME_UNITS = "('millisecond', 'second', 'minute', 'hour')";

/** An ISO 8601 date's forms: calendar (2020-05-11, 2020-05, 2020), week (2020-W10, 2020-W10-2), ordinal (2020-123). */
const ISO_DATE = String.raw`CASE
    WHEN regexp_full_match(s, '\d{4}(-\d{2}(-\d{2})?)?') THEN CAST(system.main.rpad(s, 10, CASE WHEN system.main.length(s) = 4 THEN '-01-01' ELSE '-01' END) AS DATE)
    WHEN regexp_full_match(s, '\d{4}-W\d{2}(-[1-7])?') THEN CAST(
      (make_date(CAST(s[1:4] AS INTEGER), 1, 4) - (isodow(make_date(CAST(s[1:4] AS INTEGER), 1, 4)) - 1) * INTERVAL 1 DAY)
      + ((CAST(s[7:8] AS INTEGER) - 1) * 7 + coalesce(TRY_CAST(s[10:10] AS INTEGER), 1) - 1) * INTERVAL 1 DAY AS DATE)
    WHEN regexp_full_match(s, '\d{4}-\d{3}') THEN CAST(make_date(CAST(s[1:4] AS INTEGER), 1, 1) + (CAST(s[6:8] AS INTEGER) - 1) * INTERVAL 1 DAY AS DATE)
    ELSE ${raise(`'Invalid format: "' || s || '"'`, "DATE '1970-01-01'")} END`;

export const DATETIME_MACROS: readonly string[] = [
  // Arithmetic by unit: a DATE stays a DATE (and takes day to year units only); a TIME wraps around the day.
  `date_add(unit, n, x) AS x + n * (${unitInterval('TIMESTAMP')}),
    (unit, n, x DATE) AS CASE WHEN lower(unit) IN ${DATE_UNITS} THEN CAST(x + n * (${unitInterval('DATE')}) AS DATE)
      ELSE ${raise("'''' || unit || ''' is not a valid DATE field'", 'x')} END,
    (unit, n, x TIME) AS CASE WHEN lower(unit) IN ${TIME_UNITS} THEN x + n * (${unitInterval('TIME')})
      ELSE ${raise("'''' || unit || ''' is not a valid TIME field'", 'x')} END`,
  `date_trunc(unit, x) AS system.main.date_trunc(lower(unit), x),
    (unit, x DATE) AS CASE WHEN lower(unit) IN ${DATE_UNITS} THEN CAST(system.main.date_trunc(lower(unit), x) AS DATE)
      ELSE ${raise("'''' || unit || ''' is not a valid DATE field'", 'x')} END`,
  // Whole units between the two (DuckDB's date_diff counts the boundaries crossed: 10:59 to 11:01 is an hour).
  `date_diff(unit, a, b) AS CAST(date_sub(lower(unit), a, b) AS BIGINT),
    (unit, a DATE, b DATE) AS CASE WHEN lower(unit) IN ${DATE_UNITS} THEN CAST(date_sub(lower(unit), a, b) AS BIGINT)
      ELSE ${raise("'''' || unit || ''' is not a valid DATE field'", '0::BIGINT')} END`,
  // DATE ± INTERVAL: a DATE stays one; hours, minutes or seconds can't be added to it (Athena refuses too).
  `athena_plus_interval(x, i) AS x + i,
    (x DATE, i INTERVAL) AS CASE WHEN datepart('microseconds', i) = 0 AND datepart('hour', i) = 0 AND datepart('minute', i) = 0 THEN CAST(x + i AS DATE) ELSE ${raise("'Cannot add hour, minutes or seconds to a date'", 'x')} END`,
  `athena_minus_interval(x, i) AS x - i,
    (x DATE, i INTERVAL) AS CASE WHEN datepart('microseconds', i) = 0 AND datepart('hour', i) = 0 AND datepart('minute', i) = 0 THEN CAST(x - i AS DATE) ELSE ${raise("'Cannot subtract hour, minutes or seconds from a date'", 'x')} END`,
  // date - date is an interval of days (DuckDB's is a number of days).
  'athena_minus(a, b) AS a - b, (a DATE, b DATE) AS (a - b) * INTERVAL 1 DAY',
  // Extraction (bigint, ISO weeks and days of the week).
  'day_of_week(x) AS isodow(x)',
  'dow(x) AS isodow(x)',
  'day_of_year(x) AS dayofyear(x)',
  'doy(x) AS dayofyear(x)',
  'day_of_month(x) AS day(x)',
  'week_of_year(x) AS week(x)',
  'year_of_week(x) AS isoyear(x)',
  'yow(x) AS isoyear(x)',
  'millisecond(x) AS system.main.millisecond(x) % 1000',
  'last_day_of_month(x) AS last_day(x)',
  'date(x) AS CAST(x AS DATE)',
  "current_timezone() AS 'UTC'",
  // timezone(x): a zoned time's zone (the translation gives it for AT TIME ZONE …); a plain one's is the session's.
  "athena_timezone(x) AS 'UTC'",
  // ISO 8601 and the Unix epoch (from_unixtime to the millisecond, rounded, as Athena's timestamp(3)).
  `from_iso8601_date(s) AS ${ISO_DATE}`,
  String.raw`from_iso8601_timestamp(s) AS CASE WHEN regexp_matches(s, 'T.*[+-]\d\d(:?\d\d)?$') AND NOT regexp_matches(s, '[+-]00(:?00)?$')
    THEN ${refuse('from_iso8601_timestamp with a UTC offset other than Z (local timestamps are in UTC)', 'give the time in UTC with a Z')}
    ELSE CAST(s AS TIMESTAMPTZ) END`,
  `to_iso8601(x) AS CASE system.main.typeof(x) WHEN 'DATE' THEN strftime(x, '%Y-%m-%d')
    WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x, '%Y-%m-%dT%H:%M:%S.%gZ') ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%g') END`,
  'from_unixtime(x) AS to_timestamp(system.main.round(CAST(x AS DOUBLE) * 1000) / 1000)',
  'to_unixtime(x) AS epoch(x)',
  // (Named athena_*: DuckDB's parser writes INTERVAL 1 MILLISECOND as to_milliseconds(1), which a macro would take.)
  'athena_to_milliseconds(i) AS CAST(system.main.round(epoch(i) * 1000) AS BIGINT)',
  // parse_duration('42.8ms'): a number and a unit, rounded to the millisecond.
  String.raw`parse_duration(s) AS CASE WHEN regexp_full_match(s, '\s*(\d+(\.\d+)?)\s*(ns|us|ms|s|m|h|d)\s*')
    THEN system.main.to_milliseconds(system.main.round(CAST(system.main.regexp_extract(s, '(\d+(\.\d+)?)', 1) AS DOUBLE) * CASE system.main.regexp_extract(s, '(ns|us|ms|s|m|h|d)\s*$', 1)
      WHEN 'ns' THEN 1e-6 WHEN 'us' THEN 1e-3 WHEN 'ms' THEN 1 WHEN 's' THEN 1000 WHEN 'm' THEN 60000 WHEN 'h' THEN 3600000 ELSE 86400000 END))
    ELSE ${raise(`'duration is not a valid data duration string: ' || s`, 'INTERVAL 0 SECOND')} END`,
  `human_readable_seconds(x) AS athena_duration_text(CAST(system.main.round(CAST(x AS DOUBLE)) AS BIGINT))`,
  `athena_duration_text(s) AS CASE WHEN s = 0 THEN '0 seconds' ELSE array_to_string(list_filter([
      athena_plural(s // 604800, 'week'), athena_plural(s % 604800 // 86400, 'day'), athena_plural(s % 86400 // 3600, 'hour'),
      athena_plural(s % 3600 // 60, 'minute'), athena_plural(s % 60, 'second')], p -> p IS NOT NULL), ', ') END`,
  "athena_plural(n, unit) AS CASE WHEN n = 0 THEN NULL WHEN n = 1 THEN '1 ' || unit ELSE n || ' ' || unit || 's' END",
  // Zoned times: the wall clock of an instant in a zone, an instant from a wall clock in a zone, and the text
  // Athena shows (the zone's name, or a fixed offset, after the time).
  // A fixed offset (+05:30, which DuckDB's time zones lack) shifts the wall clock by itself.
  String.raw`athena_fixed_offset(zone) AS CASE WHEN regexp_full_match(zone, '[+-]\d\d:\d\d') THEN (CASE WHEN zone[1] = '-' THEN -1 ELSE 1 END) * (CAST(zone[2:3] AS INTEGER) * INTERVAL 1 HOUR + CAST(zone[5:6] AS INTEGER) * INTERVAL 1 MINUTE) END`,
  'athena_wall(instant, zone) AS CASE WHEN athena_fixed_offset(zone) IS NOT NULL THEN CAST(CAST(instant AS TIMESTAMPTZ) AS TIMESTAMP) + athena_fixed_offset(zone) ELSE system.main.timezone(zone, CAST(instant AS TIMESTAMPTZ)) END',
  "athena_instant(wall, zone) AS CASE WHEN athena_fixed_offset(zone) IS NOT NULL THEN CAST(CAST(wall AS TIMESTAMP) - athena_fixed_offset(zone) AS VARCHAR) || '+00' ELSE CAST(system.main.timezone(zone, CAST(wall AS TIMESTAMP)) AS VARCHAR) END::TIMESTAMPTZ",
  "athena_zoned_text(wall, zone) AS strftime(wall, '%Y-%m-%d %H:%M:%S.%g') || ' ' || zone",
  // The zone's offset from UTC at that instant, in minutes; as Trino writes a fixed offset.
  "athena_offset_minutes(instant, zone) AS CAST(date_sub('minute', CAST(CAST(instant AS TIMESTAMPTZ) AS TIMESTAMP), athena_wall(instant, zone)) AS BIGINT)",
  "athena_offset_text(h, m) AS CASE WHEN h < 0 OR m < 0 THEN '-' ELSE '+' END || system.main.lpad(CAST(abs(h) AS VARCHAR), 2, '0') || ':' || system.main.lpad(CAST(abs(m) AS VARCHAR), 2, '0')",
  `athena_zoned_iso8601(instant, zone) AS strftime(athena_wall(instant, zone), '%Y-%m-%dT%H:%M:%S.%g') || CASE WHEN athena_offset_minutes(instant, zone) = 0 THEN 'Z'
    ELSE athena_offset_text(athena_offset_minutes(instant, zone) // 60, athena_offset_minutes(instant, zone) % 60) END`,
  `athena_not_date(x) AS CASE WHEN system.main.typeof(x) = 'DATE' THEN ${refuse('DATE ± INTERVAL on a DATE column', 'date_add(unit, n, d)')} ELSE x END`,
];
