import { pipelineSettings } from '@lakehouse/pipeline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakehouseError } from '@lakehouse/runtime';
import { buildLake } from '../testing/lake';
import { encode } from '../testing/records';
import { CORPUS, corpusRecords, type CorpusContext, type Partition, type Row } from '../testing/athena-corpus';
import { QueryEngine } from './engine';

/** The hour folders the delivery wrote, from its report's object keys. */
function partitionsOf(keys: Array<{ key: string; records: number }>): Partition[] {
  const byFolder = new Map<string, Partition>();
  for (const { key, records } of keys) {
    const [, year, month, day, hour] = /year=(\d+)\/month=(\d+)\/day=(\d+)\/hour=(\d+)\//.exec(key) ?? [];
    const folder = `${year}/${month}/${day}/${hour}`;
    const partition = byFolder.get(folder) ?? { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), records: 0 };
    partition.records += records;
    byFolder.set(folder, partition);
  }
  return [...byFolder.values()].sort((a, b) => a.year - b.year || a.month - b.month || a.day - b.day || a.hour - b.hour);
}

const sortRows = (rows: Row[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('the corpus: everyday Athena queries, unchanged, on the local lake', () => {
  let dir: string;
  let lake: QueryEngine;
  let parsed: QueryEngine;
  let context: CorpusContext;
  const outcomes = new Map<string, 'right' | 'refused'>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-corpus-'));
    const records = corpusRecords();
    const report = await buildLake(dir, records.map(encode));
    context = {
      records,
      partitions: partitionsOf(report.objects.filter((o) => o.kind === 'data')),
      now: new Date(),
      partitioning: pipelineSettings('dev').partitioning,
    };
    lake = await QueryEngine.open(dir, report.catalogFile);
    parsed = await QueryEngine.open(dir, report.catalogFile, { plain: false });
  });

  afterAll(async () => {
    lake?.close();
    parsed?.close();
    await rm(dir, { recursive: true, force: true });
    const refused = [...outcomes.values()].filter((o) => o === 'refused').length;
    process.stderr.write(`corpus: ${outcomes.size - refused} of ${CORPUS.length} right, ${refused} refused\n`);
  });

  it.each(CORPUS.map((q) => [q.name, q] as const))('%s', async (_name, query) => {
    const sql = typeof query.sql === 'function' ? query.sql(context) : query.sql;
    if (query.refused) {
      const error = await lake.query(sql).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LakehouseError);
      expect((error as LakehouseError).code).toBe('query');
      expect((error as Error).message).toMatch(query.refused);
      expect((error as Error).message).not.toContain('\n');
      outcomes.set(query.name, 'refused');
      return;
    }
    // Rows in the order Athena promises: the query's ORDER BY, or none (then any order is right).
    const inOrder = (rows: Row[]) => (query.ordered ? rows : sortRows(rows));
    const result = await lake.query(sql);
    expect(inOrder(result.rows)).toEqual(inOrder(query.expected?.(context) ?? []));
    if (query.columns) expect(result.columns.map((c) => c.name)).toEqual(query.columns);
    // A query run as written (plain) answers as the same query through the parser.
    const throughParser = await parsed.query(sql);
    expect({ columns: throughParser.columns, rows: inOrder(throughParser.rows) }).toEqual({ columns: result.columns, rows: inOrder(result.rows) });
    outcomes.set(query.name, 'right');
  });

  it('has at least 60 queries, 95% of them right and the rest refused by name', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(CORPUS.filter((q) => !q.refused).length / CORPUS.length).toBeGreaterThanOrEqual(0.95);
    for (const kind of ['time', 'parsing', 'approximate', 'strings', 'arrays, JSON, casts', 'CTEs, windows', 'partitions']) {
      expect(CORPUS.filter((q) => q.kind === kind).length, kind).toBeGreaterThanOrEqual(3);
    }
  });
});
