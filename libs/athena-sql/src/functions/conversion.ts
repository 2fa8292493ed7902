import { fails, is, refused, refuses, rows, same, type ChapterTable } from './table';

/** Trino's format_number: the whole number divided by 1000 while it reaches 1000, with DecimalFormat #.##, #.# or # (HALF_UP). */
const formatNumber = (count: number) => {
  let value = Math.trunc(count);
  let unit = '';
  for (const next of ['K', 'M', 'B', 'T', 'Q']) {
    if (Math.abs(value) < 1000) break;
    value /= 1000;
    unit = next;
  }
  // Trino picks the pattern by the signed value (a negative one always gets #.##); toFixed rounds the exact value half up.
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${Number(value.toFixed(digits))}${unit}`;
};

export const CONVERSION: ChapterTable = {
  chapter: 'conversion',
  rows: [
    same('cast', [
      is("CAST('12' AS integer)", '12', 'integer'),
      is("CAST(' 12 ' AS bigint)", '12'),
      fails("CAST('1.5' AS integer)", /Cannot cast '1.5' to INT/),
      fails("CAST('abc' AS bigint)", /Cannot cast 'abc' to BIGINT/),
      is('CAST(2.5e0 AS integer)', '3'),
      is('CAST(-2.5e0 AS integer)', '-3'),
      is('CAST(2.5 AS integer)', '3'),
      fails('CAST(3000000000 AS integer)', /out of range|Cannot cast/i),
      is("CAST('1e3' AS double)", '1000.0'),
      is("CAST('NaN' AS double)", 'NaN'),
      fails("CAST('inf' AS double)", /Cannot cast 'inf' to DOUBLE/),
      is("CAST('TRUE' AS boolean)", 'true'),
      is("CAST('0' AS boolean)", 'false'),
      fails("CAST('yes' AS boolean)", /Cannot cast 'yes' to BOOLEAN/),
      is("CAST('2020-01-02' AS date)", '2020-01-02'),
      fails("CAST('2020-01-02 10:00' AS date)", /Cannot cast|date/i),
      is("CAST('1.255' AS decimal(10, 2))", '1.26'),
      is('CAST(1.255e0 AS decimal(10, 2))', '1.26'),
      is("CAST('abc' AS varbinary)", '61 62 63'),
      is('CAST(ARRAY[1, 2] AS array(varchar))', '[1, 2]'),
      is("CAST(JSON '[1, 23, 456]' AS array(integer))", '[1, 23, 456]'),
      is('CAST(JSON \'{"k1": 1, "k2": 23}\' AS map(varchar, integer))', '{k1=1, k2=23}'),
      is('CAST(ROW(1, 2.5) AS ROW(x bigint, y double))', '{x=1, y=2.5}'),
      is('CAST(1.5e0 AS varchar)', '1.5'),
      is("CAST(TIMESTAMP '2020-01-01 10:00' AS varchar)", '2020-01-01 10:00:00.000'),
    ]),
    same('try_cast', [
      is("try_cast('12' AS integer)", '12'),
      is("try_cast('1.5' AS integer)", null),
      is("try_cast(' 12 ' AS integer)", '12'),
      is("try_cast('yes' AS boolean)", null),
      is("try_cast('2020-01-02 10:00' AS date)", null),
      is("try_cast('inf' AS double)", null),
      is("try_cast('x' AS integer) IS NULL AND TRY(CAST('x' AS integer)) IS NULL", 'true'),
    ]),
    same('format', [
      is("format('%s%%', 123)", '123%'),
      is("format('%.5f', pi())", '3.14159'),
      is("format('%03d', 8)", '008'),
      is("format('%,.2f', 1234567.89)", '1,234,567.89'),
      is("format('%-7s,%7s', 'hello', 'world')", 'hello  ,  world'),
      is("format('%2$s %3$s %1$s', 'a', 'b', 'c')", 'b c a'),
      is("format('%s and %s', 'x', 2)", 'x and 2'),
      // Java's Formatter rounds the shortest digits half up (C's printf would give 0.1 and 2.67).
      is("format('%.1f', 0.15e0)", '0.2'),
      is("format('%.2f', 2.675)", '2.68'),
      is("format('%s', 1e10)", '1.0E10'),
      is("format('%S %<s', 'ab')", 'AB ab'),
      is("format('%x', 255)", 'ff'),
      // Java's LocalDateTime.toString: no seconds when they are zero, milliseconds when they aren't.
      is(
        "format('%s | %s | %s', TIMESTAMP '2020-01-02 10:00:00', TIMESTAMP '2020-01-02 10:00:05', TIMESTAMP '2020-01-02 10:00:05.120')",
        '2020-01-02T10:00 | 2020-01-02T10:00:05 | 2020-01-02T10:00:05.120',
      ),
      is("format('%s', DATE '2020-01-02')", '2020-01-02'),
      refuses("format('%s', TIMESTAMP '2020-01-02 10:00 UTC')", /timestamp with time zone/),
      fails("format('%d', 1.5e0)", /d != /),
      fails("format('%s %s', 'a')", /no argument|MissingFormatArgument/),
    ]),
    refused(
      'format',
      "Java's and the local formatter write these differently",
      "date_format(d, '%W, %M %e, %Y') or format_datetime(d, 'EEEE, MMMM d, yyyy') for dates, %s or %f for numbers",
      {
        form: 'format with %e, %g, %a, %b, %h, %c or %t conversions, or the ( and # flags',
        sql: "format('%1$tA, %1$tB %1$te, %1$tY', date '2006-07-04')",
      },
    ),
    same('format_number', [
      is('format_number(123456)', formatNumber(123456)),
      is('format_number(1000000)', formatNumber(1000000)),
      is('format_number(999)', '999'),
      is('format_number(-1234567)', formatNumber(-1234567)),
      is('format_number(12345)', formatNumber(12345)),
    ]),
    same('parse_data_size', [
      is("parse_data_size('1B')", '1', 'decimal(38,0)'),
      is("parse_data_size('1kB')", '1024'),
      is("parse_data_size('1MB')", '1048576'),
      is("parse_data_size('2.3MB')", '2411724'),
      is("parse_data_size('1YB')", (2n ** 80n).toString()),
      fails("parse_data_size('1 MB')", /Invalid data size: '1 MB'/),
    ]),
    same('typeof', [
      is('typeof(123)', 'integer'),
      is("typeof('cat')", 'varchar(3)'),
      is('typeof(cos(2) + 1.5)', 'double'),
      is('typeof(ARRAY[1])', 'array(integer)'),
      is('typeof(1.50)', 'decimal(3,2)'),
      rows("SELECT typeof(x) FROM (VALUES BIGINT '1') AS t(x)", [['bigint']]),
    ]),
  ],
};
