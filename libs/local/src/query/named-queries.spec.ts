import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedQueries, pipelineSettings } from '@lakehouse/pipeline';
import type { EventRecord } from '@lakehouse/schema';
import { corpusRecords, type Row } from '../testing/athena-corpus';
import { buildLake } from '../testing/lake';
import { encode } from '../testing/records';
import { QueryEngine } from './engine';

const REPO_ROOT = join(import.meta.dirname, '../../../..');

const settings = pipelineSettings('dev');
const NAMED = namedQueries(settings.databaseName, settings.tableName);
const READMES = ['README.md', 'apps/lake/README.md', 'apps/cli/README.md'];

/** Every query a README shows: `lake:query "SQL"`, `lakehouse query … 'SQL'`, with its flags. */
function examplesOf(text: string): Array<{ sql: string; flags: string }> {
  const pattern = /(?:lake:query|lakehouse query)((?:\s+--[\w-]+(?:\s+(?!["'])[^\s]+)?)*)\s+(?:"([^"]+)"|'([^']+)')/g;
  return [...text.matchAll(pattern)].map((m) => ({ flags: m[1] ?? '', sql: m[2] ?? m[3] ?? '' })).filter((e) => /^\s*(SELECT|WITH)\b/i.test(e.sql));
}

describe('the named queries and the READMEs’ examples run on the local lake, unchanged', () => {
  let dir: string;
  let lake: QueryEngine;
  let duckdb: QueryEngine;
  let records: EventRecord[];
  let partitions: Row[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-named-'));
    // The corpus's times, moved to end a minute ago: with event-time folders, "this month" then holds most of them.
    const corpus = corpusRecords();
    const shift = Date.now() - 60_000 - Date.parse(corpus[0]?.event_date ?? '');
    records = corpus.map((r) => ({ ...r, event_date: new Date(Date.parse(r.event_date) + shift).toISOString() }));
    const report = await buildLake(dir, records.map(encode));
    const perFolder = new Map<string, number>();
    for (const o of report.objects.filter((x) => x.kind === 'data')) {
      const folder = (/year=(\d+)\/month=(\d+)\/day=(\d+)\/hour=(\d+)\//.exec(o.key) ?? []).slice(1).map(Number).join(' ');
      perFolder.set(folder, (perFolder.get(folder) ?? 0) + o.records);
    }
    const numerically = (a: string, b: string) => a.split(' ').reduce((d, x, i) => d || Number(x) - Number(b.split(' ')[i]), 0);
    partitions = [...perFolder.entries()].sort(([a], [b]) => numerically(a, b)).map(([folder, n]) => [...folder.split(' '), String(n)]);
    lake = await QueryEngine.open(dir, report.catalogFile);
    duckdb = await QueryEngine.open(dir, report.catalogFile, { dialect: 'duckdb' });
  });

  afterAll(async () => {
    lake?.close();
    duckdb?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sqlOf = (name: string) => NAMED.find((q) => q.name === name)?.sql ?? '';
  const thisMonth = () => new Date().toISOString().slice(0, 7);
  /** The records in this month's folders: all of them by arrival; by event time, those whose event_date is this month. */
  const inThisMonth = () => (settings.partitioning === 'event-time' ? records.filter((r) => r.event_date.startsWith(thisMonth())) : records);
  const newest = () => [...inThisMonth()].sort((a, b) => b.event_date.localeCompare(a.event_date));

  it('row-count', async () => {
    expect((await lake.query(sqlOf('row-count'))).rows).toEqual([[String(records.length)]]);
  });

  it('count-by-status', async () => {
    const result = await lake.query(sqlOf('count-by-status'));
    expect(result.columns.map((c) => c.name)).toEqual(['status', 'events']);
    const counts = ['Active', 'Inactive', 'Canceled'].map((s) => [s, String(records.filter((r) => r.status === s).length)]);
    expect([...result.rows].sort()).toEqual(counts.sort());
  });

  it('latest-events (the newest in this month’s folders)', async () => {
    const result = await lake.query(sqlOf('latest-events'));
    expect(result.rows).toHaveLength(Math.min(100, newest().length));
    expect(result.rows.map((r) => r[0])).toEqual(
      newest()
        .slice(0, 100)
        .map((r) => r.uuid),
    );
    expect(result.rows[0]?.[1]).toBe(newest()[0]?.event_date.replace('T', ' ').replace('Z', ''));
  });

  it('events-per-hour', async () => {
    const [year, month] = thisMonth().split('-').map(Number);
    expect((await lake.query(sqlOf('events-per-hour'))).rows).toEqual(partitions.filter(([y, m]) => Number(y) === year && Number(m) === month));
  });

  it('each named query is an example of the lake’s README', async () => {
    const readme = await readFile(join(REPO_ROOT, 'apps/lake/README.md'), 'utf8');
    for (const query of NAMED) expect(readme, query.name).toContain(query.sql);
  });

  it.each(READMES)('every query example of %s runs locally, unchanged', async (file) => {
    const examples = examplesOf(await readFile(join(REPO_ROOT, file), 'utf8'));
    expect(examples.length, file).toBeGreaterThan(0);
    for (const { sql, flags } of examples) {
      const target = flags.includes('--dialect duckdb') ? duckdb : lake;
      await expect(
        target.query(sql).then(() => 'ran'),
        sql,
      ).resolves.toBe('ran');
    }
  });
});
