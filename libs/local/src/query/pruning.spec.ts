import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout } from '../layout';
import { buildLake } from '../testing/lake';
import { encode, eventRecords } from '../testing/records';
import { QueryEngine } from './engine';

const settings = pipelineSettings('dev');

describe('an event-time lake: WHERE year = … AND month = … AND day = … reads only that day’s folders', () => {
  let dir: string;
  let lake: QueryEngine;
  const DAY = 86_400_000;
  const start = Date.UTC(2026, 10, 15, 12);
  let i = 0;
  // Three event days, sent in one burst today.
  const records = eventRecords(90, () => new Date(start + (i++ % 3) * DAY));

  beforeAll(async () => {
    expect(settings.partitioning).toBe('event-time');
    dir = await mkdtemp(join(tmpdir(), 'lake-pruning-'));
    const report = await buildLake(dir, records.map(encode));
    // A file no reader can read, in the folder of the 17th: a query that opened it would fail.
    const folder = join(localLayout(dir, settings).bucketDir, 'events/year=2026/month=11/day=17/hour=12');
    await writeFile(join(folder, 'not-parquet.parquet'), 'this is not a Parquet file');
    lake = await QueryEngine.open(dir, report.catalogFile);
  }, 60_000);

  afterAll(async () => {
    lake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers for one event day without opening the other days’ files', async () => {
    const result = await lake.query('SELECT count(*), min(event_date), max(event_date) FROM events WHERE year = 2026 AND month = 11 AND day = 15');
    expect(result.rows).toEqual([['30', '2026-11-15 12:00:00.000', '2026-11-15 12:00:00.000']]);
    const next = await lake.query('SELECT count(*) FROM events WHERE year = 2026 AND month = 11 AND day = 16');
    expect(next.rows).toEqual([['30']]);
  });

  it('opens them all without the filter (so the day query above was pruned, not lucky)', async () => {
    await expect(lake.query('SELECT count(*) FROM events')).rejects.toThrow(/not-parquet\.parquet|Parquet|magic/i);
  });
});
