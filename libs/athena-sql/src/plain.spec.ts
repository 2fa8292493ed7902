import { describe, expect, it } from 'vitest';
import { plainQuery } from './plain';

const NAMES = new Set(['lakehouse_dev', 'events', 'uuid', 'event_date', 'status', 'name', 'email', 'phone', 'year', 'month', 'day', 'hour']);

describe('plain queries: the same in Athena and DuckDB as written, recognized without the parser', () => {
  // (Each corpus query runs both ways in apps/lake's corpus.spec.ts, with the same answer.)
  it.each([
    ['SELECT status, count(*) FROM events GROUP BY status', 'SELECT status, count(*) AS "__athena_col1" FROM events GROUP BY status'],
    ['SELECT count(*) AS n FROM "lakehouse_dev"."events" WHERE hour = 9', 'SELECT count(*) AS n FROM "lakehouse_dev"."events" WHERE hour = 9'],
    ['SELECT * FROM lakehouse_dev.events LIMIT 5', 'SELECT * FROM lakehouse_dev.events LIMIT 5'],
    [
      "SELECT 1, 'a', true, e.status FROM events AS e;",
      `SELECT 1 AS "__athena_col0", 'a' AS "__athena_col1", true AS "__athena_col2", e.status FROM events AS e;`,
    ],
    [
      "SELECT DISTINCT status FROM events WHERE status IN ('Active', 'it''s') AND name IS NOT NULL ORDER BY 1 DESC NULLS LAST",
      "SELECT DISTINCT status FROM events WHERE status IN ('Active', 'it''s') AND name IS NOT NULL ORDER BY 1 DESC NULLS LAST",
    ],
    [
      'SELECT status, count(DISTINCT uuid) AS n FROM events GROUP BY 1 HAVING count(*) > 5',
      'SELECT status, count(DISTINCT uuid) AS n FROM events GROUP BY 1 HAVING count(*) > 5',
    ],
  ])('%s', (sql, duckdb) => {
    expect(plainQuery(sql, NAMES)).toBe(duckdb);
  });

  it.each([
    ["SELECT date_format(event_date, '%Y') FROM events", 'another function'],
    ['SELECT count(*) / 7 FROM events', 'an operator'],
    ['SELECT 1.5', 'a decimal'],
    ['SELECT status FROM events e', 'an alias without AS'],
    ['SELECT status FROM events GROUP BY ALL', 'a name that is no column (DuckDB’s GROUP BY ALL)'],
    ['SELECT status FROM events SAMPLE 10', 'DuckDB syntax'],
    ["SELECT count(*) FROM events WHERE event_date > TIMESTAMP '2026-01-01'", 'a typed literal'],
    ['SELECT status FROM events -- a comment', 'a comment'],
    ['FROM events SELECT status', 'FROM first'],
    ['SELECT 1; SELECT 2', 'two statements'],
    ['SELECT nope FROM events', 'an unknown name'],
    ['WITH a AS (SELECT 1) SELECT * FROM a', 'a CTE'],
    ['SELECT * FROM (SELECT count(*) FROM events)', 'a subquery'],
  ])('goes through the parser: %s (%s)', (sql) => {
    expect(plainQuery(sql, NAMES)).toBeUndefined();
  });
});
