import { describe, expect, it } from 'vitest';
import { namedQueries } from './named-queries';
import { pipelineSettings } from './settings';

describe('named queries: one source for the workgroup, the READMEs and the local tests', () => {
  const settings = pipelineSettings('dev');
  const queries = namedQueries(settings.databaseName, settings.tableName);

  it('names each in lower case and hyphens, once', () => {
    expect(queries.map((q) => q.name)).toEqual(['row-count', 'count-by-status', 'latest-events', 'events-per-hour']);
    for (const q of queries) expect(q.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('reads the environment’s table by its quoted database and table names', () => {
    for (const q of queries) expect(q.sql).toContain('FROM "lakehouse_dev"."events"');
  });

  it('filters on the partition columns where it reads many rows', () => {
    for (const name of ['latest-events', 'events-per-hour'])
      expect(queries.find((q) => q.name === name)?.sql).toContain('year = year(current_date) AND month = month(current_date)');
  });
});
