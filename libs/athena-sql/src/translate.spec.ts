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
    ["SELECT hour(ts AT TIME ZONE 'Asia/Tokyo') AS h FROM t", "SELECT HOUR(ATHENA_WALL(CAST(ts AS TIMESTAMP WITH TIME ZONE), 'Asia/Tokyo')) AS h FROM t"],
    [
      "SELECT ts AT TIME ZONE 'Asia/Tokyo' AS z FROM t",
      "SELECT ATHENA_ZONED_TEXT(ATHENA_WALL(CAST(ts AS TIMESTAMP WITH TIME ZONE), 'Asia/Tokyo'), 'Asia/Tokyo') AS z FROM t",
    ],
    ['SELECT extract(dow FROM ts) AS d FROM t', 'SELECT ISODOW(ts) AS d FROM t'],
    ["SELECT if(a, 'y') AS x FROM t", "SELECT IF(a, 'y', NULL) AS x FROM t"],
    ['SELECT concat(a, b, c) AS x FROM t', 'SELECT ATHENA_CONCAT(ATHENA_CONCAT(a, b), c) AS x FROM t'],
    ["SELECT 'a' || 'b' AS x", "SELECT 'a' || 'b' AS x"],
    ['SELECT transform(a, x -> x + 1) AS y FROM t', 'SELECT LIST_TRANSFORM(a, x -> x + 1) AS y FROM t'],
    ['SELECT CAST(ts AS varchar) AS v FROM t', 'SELECT ATHENA_VARCHAR(ts) AS v FROM t'],
    ['SELECT CAST(s AS integer) AS v FROM t', 'SELECT ATHENA_CAST_INTEGER(s) AS v FROM t'],
    ['SELECT try_cast(s AS double) AS v FROM t', 'SELECT TRY(ATHENA_CAST_DOUBLE(s)) AS v FROM t'],
    ["SELECT typeof('abc') AS t", "SELECT 'varchar(3)' AS t"],
    ["SELECT current_date - INTERVAL '1' DAY AS d", "SELECT ATHENA_MINUS_INTERVAL(CURRENT_DATE, INTERVAL '1' DAY) AS d"],
    ["SELECT ts + INTERVAL '1' HOUR AS d FROM t", "SELECT ATHENA_PLUS_INTERVAL(ts, INTERVAL '1' HOUR) AS d FROM t"],
    ["SELECT date_add('day', 1, current_date) AS d", "SELECT DATE_ADD('day', 1, CURRENT_DATE) AS d"],
    ['SELECT a / b AS q, a % b AS r FROM t', 'SELECT ATHENA_DIVIDE(a, b) AS q, ATHENA_MODULO(a, b) AS r FROM t'],
    ['SELECT round(avg(x), 1) AS r FROM t', "SELECT LIST_TRANSFORM(ARRAY[{'a0': AVG(x)}], athena_args -> ROUND(athena_args.a0, 1))[1] AS r FROM t"],
    ['SELECT x FROM t WHERE x + 1 > 2', 'SELECT x FROM t WHERE ATHENA_GT(x + 1, 2)'],
    ["SELECT x FROM t WHERE dt >= '2026-01-01' AND n > 3", "SELECT x FROM t WHERE dt >= '2026-01-01' AND n > 3"],
    [
      'SELECT json_extract_scalar(j, \'$.store["book name"][0]\') AS v FROM t',
      'SELECT ATHENA_JSON_EXTRACT_SCALAR(j, \'$."store"."book name"[0]\') AS v FROM t',
    ],
    ["SELECT TIMESTAMP '2026-11-25 18:00'", 'SELECT \'2026-11-25 18:00:00\' AS "__athena_col0"'],
    ['SELECT * FROM (SELECT count(*) FROM t)', 'SELECT * FROM (SELECT COUNT(*) AS "__athena_col0" FROM t)'],
  ])('%s', (athena, duckdb) => {
    expect(translate(athena)).toBe(duckdb);
  });
});

describe('translate: refusals, in one line naming the construct and the local way, at the word in the SQL', () => {
  it.each([
    ['SELECT date_format(ts, f) FROM t', /^date_format with a format that is not a string literal is not supported by the local engine: /],
    ['SELECT normalize(s, NFD) FROM t', /^normalize is an Athena function the local engine does not have: /],
    ["SELECT word_stem('running')", /^word_stem is an Athena function the local engine does not have: /],
    ['SELECT ST_Point(1, 2)', /^ST_Point is an Athena function the local engine does not have: /],
    ['SELECT CAST(a AS IPADDRESS) FROM t', /^the IPADDRESS type is not supported by the local engine: /],
    ["SELECT json_query(j, 'lax $[*]?(@ > 1)') FROM t", /^json_query is an Athena function the local engine does not have: /],
    ["SELECT format('%1$tY', d) FROM t", /^format is an Athena function the local engine does not have: /],
  ])('refuses %s, naming the construct and the local way', (sql, message) => {
    expect(() => translate(sql)).toThrow(message);
    expect(() => translate(sql)).toThrow(/, or run it with --target aws \(line 1, column \d+\)$/);
  });

  it.each([
    ["SELECT strftime(ts, '%H') FROM t", 'strftime', /write date_format/],
    ['SELECT time_bucket(INTERVAL 1 HOUR, ts) FROM t', 'time_bucket', /write date_trunc/],
    ['SELECT trunc(x) FROM t', 'trunc', /write truncate\(x\)/],
    ['SELECT json_contains(j, 1) FROM t', 'json_contains', /write json_array_contains/],
    ['SELECT len(m) FROM t', 'len', /write length\(text\) or cardinality\(array\)/],
    ['SELECT ifnull(a, 0) FROM t', 'ifnull', /write coalesce/],
    ['SELECT generate_series(1, 3)', 'generate_series', /write sequence/],
  ])('names DuckDB’s %s as DuckDB’s, with Athena’s way to write it', (sql, name, instead) => {
    expect(() => translate(sql)).toThrow(new RegExp(`^${name}\\(\\) \\(DuckDB's, not Athena's\\) is not supported by the local engine; `));
    expect(() => translate(sql)).toThrow(instead);
  });

  it('names a function Athena lacks as not Athena’s, with the nearest of Athena’s', () => {
    expect(() => translate('SELECT lenght(s) FROM t')).toThrow(
      /^lenght is not an Athena function \(Athena: Function 'lenght' not registered\); did you mean length\? \(line 1, column 8\)$/,
    );
  });

  it('points a refusal at the word in the user’s SQL', () => {
    expect(() => translate('SELECT a,\n  word_stem(b) FROM t')).toThrow(/\(line 2, column 3\)$/);
  });
});

describe('translate: one query, and syntax errors where they are', () => {
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
