import { doubleText } from '../values';
import { monthsBetween } from './expected';
import { fails, is, refused, rows, same, type ChapterTable } from './table';

/** Month differences around the ends of months, where counting boundaries and whole months differ. */
const MONTH_PAIRS = [
  ['2020-01-31', '2020-02-29'],
  ['2020-01-30', '2020-02-29'],
  ['2020-02-29', '2020-03-28'],
  ['2020-03-31', '2020-02-29'],
  ['2019-12-15', '2020-03-14'],
] as const;

const TS = "TIMESTAMP '2001-08-22 03:04:05.321'";
const PRECISION = "local timestamps print milliseconds (timestamp(3)); Athena's timestamp(6) and timestamp(9) print more digits";

export const DATETIME: ChapterTable = {
  chapter: 'date and time',
  rows: [
    same(
      '+',
      [
        is("date '2012-08-08' + interval '2' day", '2012-08-10', 'date'),
        is("time '01:00' + interval '3' hour", '04:00:00.000'),
        is("timestamp '2012-08-08 01:00' + interval '29' hour", '2012-08-09 06:00:00.000'),
        is("timestamp '2012-10-31 01:00' + interval '1' month", '2012-11-30 01:00:00.000'),
        is("interval '2' day + interval '3' hour", '2 03:00:00.000'),
        is("interval '3' year + interval '5' month", '3-5'),
        fails("date '2012-08-08' + interval '2' hour", /Cannot add hour, minutes or seconds to a date/),
      ],
      { form: 'date and time + interval' },
    ),
    same(
      '-',
      [
        is("date '2012-08-08' - interval '2' day", '2012-08-06'),
        is("time '01:00' - interval '3' hour", '22:00:00.000'),
        is("timestamp '2012-08-08 01:00' - interval '29' hour", '2012-08-06 20:00:00.000'),
        is("timestamp '2012-10-31 01:00' - interval '1' month", '2012-09-30 01:00:00.000'),
        is("interval '2' day - interval '3' hour", '1 21:00:00.000'),
        is("interval '3' year - interval '5' month", '2-7'),
        is("date '2020-03-02' - date '2020-03-01'", '1 00:00:00.000'),
        is("timestamp '2020-03-02 06:00' - timestamp '2020-03-01 00:00'", '1 06:00:00.000'),
      ],
      { form: 'date and time - interval, date - date' },
    ),
    same(
      'INTERVAL',
      [is("INTERVAL '1-2' YEAR TO MONTH", '1-2'), is("INTERVAL '1 02:03:04' DAY TO SECOND", '1 02:03:04.000'), is("INTERVAL '90' MINUTE", '0 01:30:00.000')],
      { form: 'interval literals' },
    ),
    same('AT TIME ZONE', [
      is("timestamp '2012-10-31 01:00 UTC'", '2012-10-31 01:00:00.000 UTC'),
      is("timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'", '2012-10-30 18:00:00.000 America/Los_Angeles'),
      is("hour(timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'Asia/Tokyo')", '10'),
      is("timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'Asia/Tokyo' > timestamp '2012-10-31 00:59 UTC'", 'true'),
      is("to_unixtime(timestamp '1970-01-01 09:00 Asia/Tokyo')", '0.0'),
      is("CAST(timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'Asia/Tokyo' AS date)", '2012-10-31'),
    ]),
    same('current_date', [is('current_date = CAST(now() AS date)', 'true'), is('typeof(current_date)', 'date')]),
    same('current_time', [is('typeof(current_time)', 'time(3) with time zone')]),
    same('current_timestamp', [is('typeof(current_timestamp)', 'timestamp(3) with time zone'), is('current_timestamp <= now()', 'true')]),
    refused('current_timestamp', PRECISION, 'current_timestamp (milliseconds)', { form: 'current_timestamp(p)', sql: 'current_timestamp(6)' }),
    same('current_timezone', [is('current_timezone()', 'UTC')], { note: "the local session's zone is UTC, as the lake's data are" }),
    same('date', [is("date(TIMESTAMP '2020-05-11 11:15:05')", '2020-05-11'), is("date('2020-05-11')", '2020-05-11')]),
    same('last_day_of_month', [is("last_day_of_month(DATE '2020-02-10')", '2020-02-29'), is("last_day_of_month(TIMESTAMP '2021-02-10 10:00')", '2021-02-28')]),
    same(
      'from_iso8601_timestamp',
      [
        is("from_iso8601_timestamp('2020-05-11')", '2020-05-11 00:00:00.000 UTC'),
        is("from_iso8601_timestamp('2020-05-11T11:15:05')", '2020-05-11 11:15:05.000 UTC'),
        is("from_iso8601_timestamp('2020-05-11T11:15:05.055Z')", '2020-05-11 11:15:05.055 UTC'),
        fails("from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')", /with a UTC offset other than Z/),
      ],
      { note: 'a time with an offset other than Z (+01:00) is refused at run time: local times are in UTC' },
    ),
    refused('from_iso8601_timestamp_nanos', PRECISION, 'from_iso8601_timestamp(string) (milliseconds)'),
    same('from_iso8601_date', [
      is("from_iso8601_date('2020-05-11')", '2020-05-11'),
      is("from_iso8601_date('2020-W10')", '2020-03-02'),
      is("from_iso8601_date('2020-123')", '2020-05-02'),
    ]),
    same('at_timezone', [
      is("at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')", '2022-11-01 02:08:07.321 America/Los_Angeles'),
      is("at_timezone(from_iso8601_timestamp('2022-11-01T09:08:07.321Z'), 'Asia/Kolkata')", '2022-11-01 14:38:07.321 Asia/Kolkata'),
    ]),
    same('with_timezone', [
      is("with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')", '2022-11-01 09:08:07.321 America/Los_Angeles'),
      is("to_unixtime(with_timezone(TIMESTAMP '1970-01-01 09:00:00', 'Asia/Tokyo'))", '0.0'),
      is("with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles') = at_timezone(TIMESTAMP '2022-11-01 16:08:07.321', 'UTC')", 'true'),
    ]),
    same('from_unixtime', [
      is('from_unixtime(0)', '1970-01-01 00:00:00.000 UTC'),
      is('from_unixtime(1.2345e0)', '1970-01-01 00:00:01.235 UTC'),
      is("from_unixtime(0, 'Asia/Tokyo')", '1970-01-01 09:00:00.000 Asia/Tokyo'),
      is('from_unixtime(0, 5, 30)', '1970-01-01 05:30:00.000 +05:30'),
    ]),
    refused('from_unixtime_nanos', PRECISION, 'from_unixtime(nanos / 1e9) (milliseconds)'),
    same('localtime', [is('typeof(localtime)', 'time(3)')]),
    same('localtimestamp', [is('typeof(localtimestamp)', 'timestamp(3)'), is('localtimestamp <= CAST(now() AS timestamp)', 'true')]),
    refused('localtimestamp', PRECISION, 'localtimestamp (milliseconds)', { form: 'localtimestamp(p)', sql: 'localtimestamp(6)' }),
    same('now', [is('typeof(now())', 'timestamp(3) with time zone'), is('now() = current_timestamp', 'true')]),
    same('to_iso8601', [
      is("to_iso8601(DATE '2020-05-11')", '2020-05-11'),
      is("to_iso8601(TIMESTAMP '2020-05-11 11:15:05.055')", '2020-05-11T11:15:05.055'),
      is("to_iso8601(from_iso8601_timestamp('2020-05-11T11:15:05.055Z'))", '2020-05-11T11:15:05.055Z'),
      is("to_iso8601(TIMESTAMP '2020-05-11 11:15:05.055 UTC' AT TIME ZONE 'Asia/Kolkata')", '2020-05-11T16:45:05.055+05:30'),
    ]),
    same('to_milliseconds', [is("to_milliseconds(INTERVAL '1' DAY + INTERVAL '2' SECOND)", String(86_402_000), 'bigint')]),
    same('to_unixtime', [is("to_unixtime(TIMESTAMP '2020-05-11 11:15:05.5')", doubleText(Date.UTC(2020, 4, 11, 11, 15, 5, 500) / 1000), 'double')]),
    same('date_trunc', [
      is(`date_trunc('millisecond', ${TS})`, '2001-08-22 03:04:05.321'),
      is(`date_trunc('second', ${TS})`, '2001-08-22 03:04:05.000'),
      is(`date_trunc('minute', ${TS})`, '2001-08-22 03:04:00.000'),
      is(`date_trunc('hour', ${TS})`, '2001-08-22 03:00:00.000'),
      is(`date_trunc('day', ${TS})`, '2001-08-22 00:00:00.000'),
      is(`date_trunc('week', ${TS})`, '2001-08-20 00:00:00.000'),
      is(`date_trunc('month', ${TS})`, '2001-08-01 00:00:00.000'),
      is(`date_trunc('quarter', ${TS})`, '2001-07-01 00:00:00.000'),
      is(`date_trunc('year', ${TS})`, '2001-01-01 00:00:00.000'),
      is("date_trunc('month', DATE '2022-10-20')", '2022-10-01', 'date'),
      fails("date_trunc('hour', DATE '2022-10-20')", /'hour' is not a valid DATE field/),
    ]),
    same('date_add', [
      is("date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')", '2020-03-01 00:01:26.000'),
      is("date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')", '2020-03-01 09:00:00.000'),
      is("date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC')", '2020-02-29 00:00:00.000 UTC'),
      is("date_add('quarter', 1, DATE '2020-11-30')", '2021-02-28', 'date'),
      is("date_add('week', 2, DATE '2020-01-01')", '2020-01-15'),
      fails("date_add('hour', 1, DATE '2020-01-01')", /'hour' is not a valid DATE field/),
      fails("date_add('fortnight', 1, TIMESTAMP '2020-01-01 00:00')", /'fortnight' is not a valid TIMESTAMP field/),
    ]),
    same('date_diff', [
      is("date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')", '86400', 'bigint'),
      is("date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC')", '24'),
      is("date_diff('day', DATE '2020-03-01', DATE '2020-03-02')", '1'),
      is("date_diff('hour', TIMESTAMP '2020-03-01 10:59', TIMESTAMP '2020-03-01 11:01')", '0'),
      is("date_diff('hour', TIMESTAMP '2020-03-01 11:01', TIMESTAMP '2020-03-01 10:59')", '0'),
      ...MONTH_PAIRS.map(([a, b]) => is(`date_diff('month', DATE '${a}', DATE '${b}')`, String(monthsBetween(a, b)))),
      is("date_diff('year', DATE '2020-03-01', DATE '2021-02-28')", '0'),
      is("date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000', TIMESTAMP '2020-06-02 12:30:45.123')", '86400123'),
    ]),
    same('parse_duration', [
      is("parse_duration('42.8ms')", '0 00:00:00.043'),
      is("parse_duration('3.81 d')", '3 19:26:24.000'),
      is("parse_duration('5m')", '0 00:05:00.000'),
    ]),
    same('human_readable_seconds', [
      is('human_readable_seconds(96)', '1 minute, 36 seconds'),
      is('human_readable_seconds(3762)', '1 hour, 2 minutes, 42 seconds'),
      is('human_readable_seconds(56363463)', '93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds'),
    ]),
    same('date_format', [
      is("date_format(TIMESTAMP '2022-10-20 05:10:00', '%m-%d-%Y %H')", '10-20-2022 05'),
      is(
        `date_format(${TS}, '%a %b %c %d %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %v %W %x %Y %y %%')`,
        'Wed Aug 8 22 22 321000 03 03 03 04 234 3 3 August 08 AM 03:04:05 AM 05 05 03:04:05 34 Wednesday 2001 2001 01 %',
      ),
    ]),
    same('date_parse', [
      is("date_parse('2022/10/20/05', '%Y/%m/%d/%H')", '2022-10-20 05:00:00.000', 'timestamp(3)'),
      is("date_parse('5/3/2021', '%e/%c/%Y')", '2021-03-05 00:00:00.000'),
    ]),
    same('format_datetime', [is(`format_datetime(${TS}, 'yyyy-MM-dd HH:mm:ss.SSS EEEE')`, '2001-08-22 03:04:05.321 Wednesday')]),
    same('parse_datetime', [is("parse_datetime('2022-10-20 05:10', 'yyyy-MM-dd HH:mm')", '2022-10-20 05:10:00.000 UTC')]),
    same('extract', [
      is("extract(YEAR FROM TIMESTAMP '2022-10-20 05:10:00')", '2022', 'bigint'),
      is(`extract(QUARTER FROM ${TS})`, '3'),
      is(`extract(DOW FROM ${TS})`, '3'),
      is(`extract(DOY FROM ${TS})`, '234'),
      is(`extract(WEEK FROM ${TS})`, '34'),
      is("extract(YOW FROM DATE '2021-01-01')", '2020'),
      is(`extract(SECOND FROM ${TS})`, '5'),
      is('extract(TIMEZONE_HOUR FROM now())', '0'),
    ]),
    same('day', [is(`day(${TS})`, '22', 'bigint')]),
    same('day_of_month', [is(`day_of_month(${TS})`, '22')]),
    same('day_of_week', [is(`day_of_week(${TS})`, '3'), is("day_of_week(DATE '2022-10-23')", '7')]),
    same('day_of_year', [is(`day_of_year(${TS})`, '234')]),
    same('dow', [is("dow(DATE '2022-10-24')", '1')]),
    same('doy', [is("doy(DATE '2020-12-31')", '366')]),
    same('hour', [is(`hour(${TS})`, '3')]),
    same('millisecond', [is(`millisecond(${TS})`, '321')]),
    same('minute', [is(`minute(${TS})`, '4')]),
    same('month', [is(`month(${TS})`, '8')]),
    same('quarter', [is(`quarter(${TS})`, '3')]),
    same('second', [is(`second(${TS})`, '5')]),
    same('timezone_hour', [is('timezone_hour(now())', '0'), is("timezone_hour(TIMESTAMP '2020-01-01 00:00 UTC' AT TIME ZONE 'Asia/Kolkata')", '5')]),
    same('timezone_minute', [is("timezone_minute(TIMESTAMP '2020-01-01 00:00 UTC' AT TIME ZONE 'Asia/Kolkata')", '30')]),
    same('week', [is("week(DATE '2021-01-03')", '53'), is("week(DATE '2021-01-04')", '1')]),
    same('week_of_year', [is("week_of_year(DATE '2021-01-04')", '1')]),
    same('year', [is(`year(${TS})`, '2001')]),
    same('year_of_week', [is("year_of_week(DATE '2021-01-03')", '2020')]),
    same('yow', [is("yow(DATE '2021-01-03')", '2020')]),
    same('timezone', [
      is("timezone(TIMESTAMP '2024-01-01 12:00:00 Asia/Tokyo')", 'Asia/Tokyo'),
      is("timezone(TIMESTAMP '2024-01-01 12:00:00 +01:00')", '+01:00'),
      is("timezone(TIMESTAMP '2024-02-29 12:00:00 UTC')", 'UTC'),
    ]),
    same(
      'date_trunc',
      [is("date_trunc('day', TIMESTAMP '2020-01-01 03:00 UTC' AT TIME ZONE 'America/New_York')", '2019-12-31 00:00:00.000 America/New_York')],
      { form: 'date_trunc(unit, timestamp with time zone)' },
    ),
    rows_at_zone(),
  ],
};

/** A zoned time through a query: grouped by its wall-clock day, counted. */
function rows_at_zone() {
  return same(
    'AT TIME ZONE',
    [
      rows(
        "SELECT date_format(t AT TIME ZONE 'America/New_York', '%Y-%m-%d') AS day, count(*) FROM (VALUES TIMESTAMP '2020-01-01 03:00', TIMESTAMP '2020-01-01 06:00') AS v(t) GROUP BY 1",
        [
          ['2019-12-31', '1'],
          ['2020-01-01', '1'],
        ],
      ),
    ],
    { form: 'AT TIME ZONE in a query' },
  );
}
