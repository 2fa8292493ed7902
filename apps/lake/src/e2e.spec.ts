import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { pipelineSettings } from '@lakehouse/pipeline';
import { localLayout, BATCH_METADATA_KEY, openQueryEngine, startEmbeddedLake, type EmbeddedLake, type QueryEngine } from '@lakehouse/local';
import type { DeliveryReport } from '@lakehouse/local';
import { parquetColumns, type EventRecord } from '@lakehouse/schema';
import type { QueryResult } from '@lakehouse/console-api';
import { encode, eventRecords, putAll } from '@lakehouse/local/testing';

const N = 5_000;
const settings = pipelineSettings('dev');

/** Every record's arrival time in the stream, by uuid, read as a consumer reads (GetShardIterator, GetRecords). */
async function readArrivals(client: KinesisClient, StreamName: string): Promise<Map<string, number>> {
  const arrivals = new Map<string, number>();
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName }));
  for (const { ShardId } of Shards) {
    let { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    for (;;) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) {
        const { uuid } = JSON.parse(new TextDecoder().decode(r.Data)) as { uuid: string };
        arrivals.set(uuid, r.ApproximateArrivalTimestamp?.getTime() ?? Number.NaN);
      }
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return arrivals;
}

describe(`end to end: ${N.toLocaleString('en-US')} records through the embedded lakehouse, driven as the producer drives it`, () => {
  let dir: string;
  let ready: EmbeddedLake;
  let sent: Map<string, EventRecord>;
  let report: DeliveryReport;
  let putWindow: { from: number; to: number };
  /** Each record's ApproximateArrivalTimestamp, read back from the stream before the lake drained it. */
  let arrivals: Map<string, number>;
  let lake: QueryEngine;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-e2e-'));
    ready = await startEmbeddedLake({ dataDir: dir, environment: 'dev' });
    // dev partitions by event time: the burst's events span three days, as late data does.
    const start = Date.now();
    let i = 0;
    const records = eventRecords(N, () => new Date(start - (i++ % 72) * 3_600_000 - (i % 3_600) * 997));
    sent = new Map(records.map((r) => [r.uuid, r]));
    const from = Date.now();
    const client = kinesisClient({ endpoint: ready.endpoint });
    await putAll(client, ready.streamName, records.map(encode));
    putWindow = { from, to: Date.now() };
    arrivals = await readArrivals(client, ready.streamName);
    client.destroy();
    report = await ready.drain();
    lake = await openQueryEngine(dir, report.catalogFile, { dialect: 'duckdb' }); // its checks are DuckDB SQL
  }, 120_000);

  afterAll(async () => {
    lake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const query = (sql: string): Promise<QueryResult> => lake.query(sql);

  it('says ready with a loopback endpoint and the settings’ stream', () => {
    expect(ready.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.streamName).toBe(settings.streamName);
  });

  it('answers drain with a report of every record, registers nothing and gives the folder back', () => {
    expect(report.recordsDelivered).toBe(N);
    expect(report.recordsFailed).toBe(0);
    expect(report.bucketDir).toBe(localLayout(dir, settings).bucketDir);
    expect(report.objects.reduce((sum, o) => sum + o.records, 0)).toBe(N);
    for (const object of report.objects) {
      expect(object.kind).toBe('data');
      expect(existsSync(object.path)).toBe(true);
      expect(object.path).toBe(join(report.bucketDir, object.key));
    }
    expect(existsSync(localLayout(dir, settings).runningFile)).toBe(false);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('returns exactly N rows with N distinct uuids, the very records sent', async () => {
    const counts = await query('SELECT count(*) AS n, count(DISTINCT uuid) AS d FROM events');
    expect(counts.rows).toEqual([[String(N), String(N)]]);
    const rows = await query('SELECT uuid, event_date, status, name, last_name, email, phone FROM lakehouse_dev.events');
    expect(rows.rows).toHaveLength(N);
    for (const [uuid, eventDate, status, name, lastName, email, phone] of rows.rows) {
      const record = sent.get(uuid ?? '');
      expect(record, `row ${uuid} was never sent`).toBeDefined();
      expect(Date.parse(`${eventDate?.replace(' ', 'T')}Z`)).toBe(Date.parse(record?.event_date ?? ''));
      expect([status, name, lastName, email, phone]).toEqual([record?.status, record?.name, record?.last_name, record?.email, String(record?.phone)]);
    }
  });

  it('types event_date as a timestamp, phone as a bigint and the partitions as integers, as Glue does', async () => {
    const types = await query('SELECT typeof(event_date), typeof(phone), typeof(year), typeof(hour) FROM events LIMIT 1');
    expect(types.rows).toEqual([['TIMESTAMP', 'BIGINT', 'INTEGER', 'INTEGER']]);
    const described = await query('SELECT * FROM events LIMIT 0');
    expect(described.columns.map((c) => c.name)).toEqual([...parquetColumns().map((c) => c.name), 'year', 'month', 'day', 'hour']);
  });

  it('puts every row in the folder of its own event_date hour, and names each object by its oldest record’s arrival (UTC), as Firehose does', async () => {
    expect(settings.partitioning).toBe('event-time');
    expect(arrivals.size).toBe(N);
    const two = (n: number) => String(n).padStart(2, '0');
    const hourFolder = (d: Date) =>
      `events/year=${d.getUTCFullYear()}/month=${two(d.getUTCMonth() + 1)}/day=${two(d.getUTCDate())}/hour=${two(d.getUTCHours())}/`;
    const folders = new Set<string>();
    for (const object of report.objects.filter((o) => o.kind === 'data')) {
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(object.path), columns: ['uuid', 'event_date'] })) as Array<{
        uuid: string;
        event_date: Date;
      }>;
      for (const row of rows) expect(object.key.startsWith(hourFolder(new Date(row.event_date))), `${object.key}: ${row.uuid}`).toBe(true);
      const oldest = new Date(Math.min(...rows.map((row) => arrivals.get(row.uuid) ?? Number.NaN)));
      expect(oldest.getTime()).toBeGreaterThanOrEqual(putWindow.from - 1_000);
      const stamp = `${oldest.getUTCFullYear()}-${two(oldest.getUTCMonth() + 1)}-${two(oldest.getUTCDate())}-${two(oldest.getUTCHours())}-${two(oldest.getUTCMinutes())}-${two(oldest.getUTCSeconds())}`;
      expect(object.key).toContain(`/lakehouse-dev-events-to-s3-1-${stamp}-`);
      folders.add(object.key.replace(/[^/]*$/, ''));
    }
    expect(folders.size).toBeGreaterThanOrEqual(72);
  });

  it('writes Parquet that a second, independent reader (hyparquet) reads back with the same values', async () => {
    const seen = new Set<string>();
    for (const object of report.objects) {
      const file = await asyncBufferFromFile(object.path);
      const metadata = await parquetMetadataAsync(file);
      const types = Object.fromEntries(metadata.schema.slice(1).map((e) => [e.name, [e.type, e.converted_type ?? e.logical_type?.type]]));
      expect(types['event_date']).toEqual(['INT64', 'TIMESTAMP_MICROS']);
      expect(types['phone']?.[0]).toBe('INT64');
      expect(types['uuid']).toEqual(['BYTE_ARRAY', 'UTF8']);
      const batch = metadata.key_value_metadata?.find((kv) => kv.key === BATCH_METADATA_KEY);
      expect(JSON.parse(batch?.value ?? '{}')).toMatchObject({ dataRecords: object.records, errorRecords: 0 });
      const rows = (await parquetReadObjects({ file })) as Array<{ uuid: string; event_date: Date; status: string; phone: bigint; email: string }>;
      expect(rows).toHaveLength(object.records);
      for (const row of rows) {
        const record = sent.get(row.uuid);
        expect(record).toBeDefined();
        expect(row.event_date.toISOString()).toBe(record?.event_date);
        expect(row.phone).toBe(BigInt(record?.phone ?? 0));
        expect([row.status, row.email]).toEqual([record?.status, record?.email]);
        seen.add(row.uuid);
      }
    }
    expect(seen.size).toBe(N);
  });

  it('read the records from every shard', async () => {
    const shards = new Set<string>();
    for (const object of report.objects) {
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(object.path));
      const batch = JSON.parse(metadata.key_value_metadata?.find((kv) => kv.key === BATCH_METADATA_KEY)?.value ?? '{}') as { shards: Record<string, unknown> };
      for (const shard of Object.keys(batch.shards)) shards.add(shard);
    }
    expect(shards.size).toBe(2);
  });
});
