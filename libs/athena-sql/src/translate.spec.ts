import { beforeAll, describe, expect, it } from 'vitest';
import { AthenaSqlError } from './errors';
import { testTranslator } from './testing/duckdb-session';
import type { Translator } from './translate';

let translator: Translator;
const translate = (sql: string) => translator.translate(sql);

beforeAll(async () => {
  translator = await testTranslator();
});

describe('translate: Athena SQL → DuckDB SQL (with the macros)', () => {
  it.each([
    ['SELECT status, count(*) AS n FROM events GROUP BY status', 'SELECT status, COUNT(*) AS n FROM events GROUP BY status'],
    ['SELECT count(*) FROM "lakehouse_dev"."events"', 'SELECT COUNT(*) AS "__athena_col0" FROM "lakehouse_dev"."events"'],
    ["SELECT date_format(event_date, '%Y-%m-%d %H:%i %M') AS d FROM events", "SELECT STRFTIME(event_date, '%Y-%m-%d %H:%M %B') AS d FROM events"],
    ["SELECT date_parse(s, '%e/%c/%Y') AS d FROM t", "SELECT STRPTIME(s, '%d/%m/%Y') AS d FROM t"],
    ["SELECT parse_datetime(s, 'yyyy-MM-dd') AS d FROM t", "SELECT CAST(STRPTIME(s, '%Y-%m-%d') AS TIMESTAMP WITH TIME ZONE) AS d FROM t"],
    ["SELECT hour(ts AT TIME ZONE 'Asia/Tokyo') AS h FROM t", "SELECT HOUR(ATHENA_AT_ZONE(ts, 'Asia/Tokyo')) AS h FROM t"],
    ["SELECT ts AT TIME ZONE 'Asia/Tokyo' AS z FROM t", "SELECT ATHENA_ZONED_TEXT(ATHENA_AT_ZONE(ts, 'Asia/Tokyo'), 'Asia/Tokyo') AS z FROM t"],
    ['SELECT extract(dow FROM ts) AS d FROM t', 'SELECT ISODOW(ts) AS d FROM t'],
    ["SELECT if(a, 'y') AS x FROM t", "SELECT IF(a, 'y', NULL) AS x FROM t"],
    ['SELECT concat(a, b, c) AS x FROM t', 'SELECT a || b || c AS x FROM t'],
    ['SELECT transform(a, x -> x + 1) AS y FROM t', 'SELECT LIST_TRANSFORM(a, x -> x + 1) AS y FROM t'],
    ['SELECT CAST(ts AS varchar) AS v FROM t', 'SELECT ATHENA_VARCHAR(ts) AS v FROM t'],
    ["SELECT typeof('abc') AS t", "SELECT 'varchar(3)' AS t"],
    ["SELECT current_date - INTERVAL '1' DAY AS d", "SELECT CAST(CURRENT_DATE - INTERVAL '1' DAY AS DATE) AS d"],
    ["SELECT ts + INTERVAL '1' HOUR AS d FROM t", "SELECT ATHENA_NOT_DATE(ts) + INTERVAL '1' HOUR AS d FROM t"],
    ["SELECT date_add('day', 1, current_date) AS d", "SELECT CAST(DATE_ADD('day', 1, CAST(CURRENT_DATE AS TIMESTAMP)) AS DATE) AS d"],
    ["SELECT TIMESTAMP '2026-11-25 18:00'", "SELECT '2026-11-25 18:00:00' AS \"__athena_col0\""],
    ['SELECT * FROM (SELECT count(*) FROM t)', 'SELECT * FROM (SELECT COUNT(*) AS "__athena_col0" FROM t)'],
  ])('%s', (athena, duckdb) => {
    expect(translate(athena)).toBe(duckdb);
  });

  it.each([
    ['SELECT 100.0 * count(*) / 3 FROM t', /^Division with a decimal literal/],
    ["SELECT count(*) FROM t WHERE ts AT TIME ZONE 'UTC' > now()", /^AT TIME ZONE inside an expression/],
    ['SELECT date_format(ts, f) FROM t', /^date_format with a format that is not a string literal/],
    ["SELECT strftime(ts, '%H') FROM t", /^strftime\(\) \(DuckDB's, not Athena's\) is not supported by the local engine; write date_format/],
    ['SELECT reduce(a, 0, (s, x) -> s + x, s -> s) FROM t', /^reduce\(\)/],
    ['SELECT CAST(a AS ARRAY(varchar)) FROM t', /^CAST to ARRAY/],
    ["SELECT current_date + INTERVAL '1' HOUR", /^DATE ± INTERVAL of hours/],
  ])('refuses %s, naming the construct and the local way', (sql, message) => {
    expect(() => translate(sql)).toThrow(message);
    expect(() => translate(sql)).toThrow(/is not supported by the local engine; /);
  });

  it.each([
    ["COPY (SELECT 1) TO '/tmp/x.csv'", /^COPY … TO: a local query only reads the lake's tables/],
    ['SELECT 1; SELECT 2', /^2 statements: a local query is one statement$/],
    ['DESCRIBE events', /^DESCRIBE\/EXPLAIN:/],
  ])('takes one query only: %s', (sql, message) => {
    expect(() => translate(sql)).toThrow(message);
  });

  it('gives the line and column of a syntax error', () => {
    const error = (() => {
      try {
        translate('SELECT status,\n  count(*)\nFROM events GROUP BY');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AthenaSqlError);
    expect((error as AthenaSqlError).kind).toBe('syntax');
    expect((error as AthenaSqlError).position).toEqual({ line: 3, column: expect.any(Number) });
    expect((error as Error).message).toMatch(/^syntax error at line 3, column \d+: /);
  });
});
