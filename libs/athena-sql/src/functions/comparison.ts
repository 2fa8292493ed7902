import { fails, is, rows, same, type ChapterTable } from './table';

const CONTINENTS = "(VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent)";

export const COMPARISON: ChapterTable = {
  chapter: 'comparison',
  rows: [
    same('<', [is('1 < 2', 'true'), is("'a' < 'b'", 'true'), is('NULL < 1', null)]),
    same('>', [is('2 > 1', 'true'), is("DATE '2020-01-02' > DATE '2020-01-01'", 'true')]),
    same('<=', [is('2 <= 2', 'true')]),
    same('>=', [is('1 >= 2', 'false')]),
    same('=', [is('1 = 1', 'true'), is("'a' = 'A'", 'false'), is('NULL = NULL', null)]),
    same('<>', [is('1 <> 2', 'true')]),
    same('!=', [is('1 != 1', 'false')]),
    same('BETWEEN', [
      is('3 BETWEEN 2 AND 6', 'true'),
      is('NULL BETWEEN 2 AND 4', null),
      is('2 BETWEEN NULL AND 6', null),
      is('2 BETWEEN 3 AND NULL', 'false'),
      is('8 BETWEEN NULL AND 6', 'false'),
      is("'Paul' BETWEEN 'John' AND 'Ringo'", 'true'),
    ]),
    same('NOT BETWEEN', [is('3 NOT BETWEEN 2 AND 6', 'false')]),
    same('IS NULL', [is('NULL IS NULL', 'true'), is('3.0 IS NULL', 'false')]),
    same('IS NOT NULL', [is('3.0 IS NOT NULL', 'true')]),
    same('IS DISTINCT FROM', [is('NULL IS DISTINCT FROM NULL', 'false'), is('1 IS DISTINCT FROM NULL', 'true'), is('1 IS DISTINCT FROM 2', 'true')]),
    same('IS NOT DISTINCT FROM', [is('NULL IS NOT DISTINCT FROM NULL', 'true'), is('1 IS NOT DISTINCT FROM 1', 'true')]),
    same('greatest', [
      is('greatest(1, 5, 3)', '5'),
      is('greatest(1, NULL, 3)', null),
      is("greatest('a', 'c', 'b', 'aa', 'ab')", 'c'),
      is("greatest(DATE '2020-01-01', DATE '2021-01-01')", '2021-01-01'),
    ]),
    same('least', [is('least(4, 2, 3)', '2'), is('least(1, NULL)', null), is('least(1.5e0, 1, 2, 3, 4, 5, 0.5e0)', '0.5')]),
    same('ALL', [is('21 < ALL (VALUES 19, 20, 21)', 'false'), is('1 < ALL (VALUES 19, 20, 21)', 'true')]),
    same('ANY', [is("'hello' = ANY (VALUES 'hello', 'world')", 'true')]),
    same('SOME', [is('42 >= SOME (SELECT 41 UNION ALL SELECT 42 UNION ALL SELECT 43)', 'true')]),
    same('LIKE', [
      rows(`SELECT * FROM ${CONTINENTS} WHERE continent LIKE 'E%'`, [['Europe']]),
      rows(`SELECT * FROM ${CONTINENTS} WHERE continent LIKE 'A__a'`, [['Asia']]),
      rows(`SELECT * FROM ${CONTINENTS} WHERE continent LIKE 'A__A'`, []),
      is("'South_America' LIKE 'South\\_America' ESCAPE '\\'", 'true'),
      is("'SouthXAmerica' LIKE 'South\\_America' ESCAPE '\\'", 'false'),
      is("'a\\b' LIKE 'a\\\\b' ESCAPE '\\'", 'true'),
      is("'a\\b' LIKE 'a\\b'", 'true'),
      is("'50%' LIKE '50#%' ESCAPE '#'", 'true'),
      fails("'a' LIKE 'a' ESCAPE 'xy'", /[Ee]scape string/),
    ]),
    same('NOT LIKE', [rows(`SELECT * FROM ${CONTINENTS} WHERE continent NOT LIKE 'A%'`, [['Europe']])]),
    same('IN', [is('2 IN (1, 2)', 'true'), is('3 IN (1, 2)', 'false'), is('3 IN (1, NULL)', null), is('1 IN (SELECT 1)', 'true')]),
    same('NOT IN', [is('3 NOT IN (1, 2)', 'true'), is('3 NOT IN (1, NULL)', null)]),
  ],
};
