import { fails, is, refuses, rows, type Check } from './table';

/**
 * Where DuckDB and Athena (Trino) differ without a word: for each, what Athena does, how the local engine gives the
 * same answer (or refuses), and the checks that show it, run by `functions.spec.ts` as the table's rows are. The
 * answers are Trino's documented behaviour, or computed here.
 */
export interface SemanticsRow {
  readonly topic: string;
  readonly athena: string;
  readonly local: string;
  readonly checks: readonly [Check, ...Check[]];
}

export const SEMANTICS: readonly SemanticsRow[] = [
  {
    topic: 'division by zero',
    athena: 'an integer or decimal divided by zero fails (so does % 0); a double gives Infinity or NaN',
    local: 'a / b and a % b are macros that fail as Athena does (DuckDB gives NULL)',
    checks: [
      fails('1 / 0', /Division by zero/),
      fails('5 % 0', /Division by zero/),
      fails('1.5 / 0', /Division by zero/),
      is('1e0 / 0', 'Infinity'),
      is('-7 / 2', '-3'),
      is('-7 % 3', '-1'),
    ],
  },
  {
    topic: 'integer overflow',
    athena: 'integer arithmetic and sums that leave their type fail',
    local: 'DuckDB fails too (sum of bigint is checked back into bigint)',
    checks: [
      fails('2147483647 + 1', /Overflow|out of range/i),
      fails('9223372036854775807 * 2', /Overflow|out of range/i),
      fails("SELECT sum(x) FROM (VALUES BIGINT '9223372036854775807', BIGINT '1') AS t(x)", /out of range|Overflow/i),
      fails('CAST(3000000000 AS integer)', /out of range|Cannot cast/i),
    ],
  },
  {
    topic: 'rounding of halves',
    athena: 'round() of a double or a decimal rounds halves away from zero (a double after scaling: round(1.005e0, 2) is 1.0); casts to integers too',
    local: 'macros round as Java does (DuckDB casts round halves to even)',
    checks: [
      is('round(2.5e0)', '3.0'),
      is('round(-2.5e0)', '-3.0'),
      is('round(2.5)', '3'),
      is('round(-2.5)', '-3'),
      is('round(1.005, 2)', '1.010'),
      is('round(1.005e0, 2)', '1.0'),
      is('CAST(0.5e0 AS integer)', '1'),
      is('CAST(-1.5 AS bigint)', '-2'),
    ],
  },
  {
    topic: '|| and concat with NULL',
    athena: "NULL when any operand is NULL; text with a number fails ('a' || 1)",
    local: 'concat is written as ||; || of text with a non-text fails (DuckDB would write the number as text)',
    checks: [
      is("'a' || NULL", null),
      is("concat('a', NULL, 'b')", null),
      is("concat('a', 'b', 'c')", 'abc'),
      fails("SELECT x || 1 FROM (VALUES 'a') AS t(x)", /Unexpected parameters/),
    ],
  },
  {
    topic: 'casts of bad strings; try_cast and try(cast)',
    athena:
      "CAST of a string that is no number, date or boolean fails (' 12 ' is 12, '1.5' is no integer, 'yes' no boolean); try_cast and try(cast(…)) give NULL",
    local: 'casts are macros with Java’s parsing (DuckDB reads 1.5 as 2, inf as Infinity, yes as true)',
    checks: [
      fails("CAST('1.5' AS integer)", /Cannot cast '1.5'/),
      fails("CAST('yes' AS boolean)", /Cannot cast 'yes'/),
      is("CAST(' 12 ' AS integer)", '12'),
      is("try_cast('1.5' AS integer)", null),
      is("try(CAST('1.5' AS integer))", null),
      is("try_cast('inf' AS double)", null),
    ],
  },
  {
    topic: 'ISO week numbering',
    athena: 'week() and year_of_week() are ISO 8601’s: 2021-01-01 is in week 53 of 2020',
    local: 'macros on DuckDB’s ISO week',
    checks: [
      is("week(DATE '2021-01-01')", '53'),
      is("year_of_week(DATE '2021-01-01')", '2020'),
      is("week(DATE '2024-12-30')", '1'),
      is("year_of_week(DATE '2024-12-30')", '2025'),
    ],
  },
  {
    topic: 'date_diff truncation',
    athena: 'date_diff counts whole units (10:59 to 11:01 is 0 hours; Jan 31 to Feb 29 is 1 month, Joda’s end-of-month rule)',
    local: 'a macro counts whole units (DuckDB’s counts the boundaries crossed)',
    checks: [
      is("date_diff('hour', TIMESTAMP '2020-01-01 10:59', TIMESTAMP '2020-01-01 11:01')", '0'),
      is("date_diff('day', TIMESTAMP '2020-01-01 23:00', TIMESTAMP '2020-01-02 22:00')", '0'),
      is("date_diff('month', DATE '2020-01-31', DATE '2020-02-29')", '1'),
      is("date_diff('month', DATE '2020-01-30', DATE '2020-02-28')", '0'),
      is("date_diff('year', DATE '2020-02-29', DATE '2021-02-28')", '1'),
    ],
  },
  {
    topic: 'NaN',
    athena: 'every comparison with NaN is false (<> is true); NaN sorts above every number; greatest and least fail on NaN',
    local:
      'comparisons with a computed operand are macros that say so (DuckDB’s NaN equals itself and is above every number); a column compared with a constant stays (the lake’s data has no NaN: JSON has none)',
    checks: [
      is('nan() = nan()', 'false'),
      is('nan() > 1', 'false'),
      is('nan() <> nan()', 'true'),
      is('0e0 / 0 < 1', 'false'),
      rows('SELECT x FROM (VALUES nan(), 1e0, infinity(), -infinity()) AS t(x) ORDER BY x', [['-Infinity'], ['1.0'], ['Infinity'], ['NaN']], true),
      fails('greatest(1e0, nan())', /Invalid argument to greatest\(\): NaN/),
    ],
  },
  {
    topic: 'array_sort with NULLs',
    athena: 'NULLs last; with a comparator, the comparator decides',
    local: 'DuckDB’s sort with NULLs last; the comparator as an insertion sort',
    checks: [
      is('array_sort(ARRAY[3, NULL, 1])', '[1, 3, NULL]'),
      is("array_sort(ARRAY['b', NULL, 'a'])", '[a, b, NULL]'),
      is('array_sort(ARRAY[3, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))', '[3, 2, 1]'),
    ],
  },
  {
    topic: 'map key order',
    athena: 'a map keeps its keys in the order they were given; duplicate keys fail',
    local: 'DuckDB’s maps keep the order too; duplicates fail',
    checks: [
      is("map(ARRAY['b', 'a'], ARRAY[1, 2])", '{b=1, a=2}'),
      is("map_from_entries(ARRAY[('z', 1), ('y', 2)])", '{z=1, y=2}'),
      fails("map(ARRAY['a', 'a'], ARRAY[1, 2])", /Duplicate|unique/i),
    ],
  },
  {
    topic: 'decimal precision and scale',
    athena: 'decimal arithmetic is exact: a + b and a * b keep every digit, a / b rounds half up to the larger scale',
    local: 'DuckDB’s decimals add and multiply alike; division is a macro (DuckDB divides decimals as doubles)',
    checks: [
      is('1.10 + 2.205', '3.305'),
      is('1.5 * 2.25', '3.375'),
      is('0.1 + 0.2', '0.3'),
      is('1.0 / 3', '0.3'),
      is('10.00 / 3', '3.33'),
      is('2.5 / 2', '1.3'),
    ],
  },
  {
    topic: 'timestamp with time zone',
    athena:
      'a zoned time keeps its zone; + INTERVAL of days moves the wall clock (DST kept), of hours the instant; with_timezone keeps the wall clock, at_timezone the instant',
    local: 'zoned times are followed through the query as instant and zone (DuckDB keeps UTC only)',
    checks: [
      is("TIMESTAMP '2020-03-07 12:00 America/New_York' + INTERVAL '1' DAY", '2020-03-08 12:00:00.000 America/New_York'),
      is("TIMESTAMP '2020-03-07 12:00 America/New_York' + INTERVAL '24' HOUR", '2020-03-08 13:00:00.000 America/New_York'),
      is("with_timezone(TIMESTAMP '2020-01-01 10:00', 'America/New_York')", '2020-01-01 10:00:00.000 America/New_York'),
      is("at_timezone(TIMESTAMP '2020-01-01 10:00 UTC', 'America/New_York')", '2020-01-01 05:00:00.000 America/New_York'),
    ],
  },
  {
    topic: 'approx_distinct, approx_percentile, approx_most_frequent',
    athena: 'approximations, within their documented error',
    local: 'exact (within any error bound Athena allows): counts and percentiles of the values themselves',
    checks: [
      is('SELECT approx_distinct(x) FROM (VALUES 1, 2, 2, 3, NULL) AS t(x)', '3'),
      is('SELECT approx_percentile(x, 0.5) FROM (VALUES 1, 2, 3, 4, 5) AS t(x)', '3'),
      is("SELECT approx_most_frequent(2, x, 100) FROM (VALUES 'a', 'b', 'a', 'c', 'a', 'b') AS t(x)", '{a=3, b=2}'),
    ],
  },
  {
    topic: 'numbers as text',
    athena: 'a double as varchar is Java’s (1.0E10, 1.5E-5); JSON numbers as Jackson writes them',
    local: 'macros write Java’s form; the printer writes JSON numbers so',
    checks: [
      is('CAST(1e10 AS varchar)', '1.0E10'),
      is('CAST(0.000015e0 AS varchar)', '1.5E-5'),
      is("json_extract('{\"a\": 1e10}', '$.a')", '1.0E10'),
      refuses("json_extract_scalar('{\"a\": 1.50}', '$.a')", /json_extract_scalar of a number written as 1.50/),
    ],
  },
];
