import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parseErrorObjectBody } from '@lakehouse/firehose';
import { manualClock } from '@lakehouse/runtime/testing';
import { useDeliveryBench } from '../testing/delivery-bench';
import { encode, eventRecords } from '../testing/records';

describe('Delivery: Firehose’s buffering and object naming, on real files', () => {
  const bench = useDeliveryBench();
  const { delivery, streamRecords } = bench;

  it('delivers when the size hint is reached, on the record that reaches it', async () => {
    const records = eventRecords(10).map(encode);
    const size = records[0]?.byteLength ?? 0;
    const d = delivery({ sizeBytes: size * 4, intervalMillis: 3_600_000 });
    await d.add(streamRecords(records));
    await d.idle();
    expect(bench.events.map((e) => [e.reason, e.object.records])).toEqual([
      ['size', 4],
      ['size', 4],
    ]);
    await d.flush('drain');
    expect(bench.events.map((e) => [e.reason, e.object.records])).toEqual([
      ['size', 4],
      ['size', 4],
      ['drain', 2],
    ]);
    d.close();
  });

  it('delivers when the interval hint has passed since the buffer’s first record, with no more records coming', async () => {
    const clock = manualClock();
    const d = delivery({ sizeBytes: 128 * 1024 * 1024, intervalMillis: 300 }, clock);
    await d.add(streamRecords(eventRecords(3).map(encode)));
    await clock.advance(150);
    await d.add(streamRecords(eventRecords(2).map(encode))); // later records don't move the deadline
    await clock.advance(149);
    await d.idle();
    expect(bench.events).toEqual([]);
    await clock.advance(1);
    await d.idle();
    expect(bench.events.map((e) => [e.reason, e.object.records])).toEqual([['interval', 5]]);
    d.close();
  });

  it('names objects by the oldest record’s arrival, in UTC, under Hive-style hour folders', async () => {
    const d = delivery({ sizeBytes: 128 * 1024 * 1024, intervalMillis: 3_600_000 });
    const good = eventRecords(2).map(encode);
    await d.add([
      ...streamRecords([good[0] as Uint8Array], Date.parse('2022-02-04T22:00:00.100Z')),
      ...streamRecords([encode('oops')], Date.parse('2022-02-04T21:59:59.900Z')),
      ...streamRecords([good[1] as Uint8Array], Date.parse('2022-02-04T21:59:58.000Z'), 'shardId-000000000001'),
      ...streamRecords([encode('[]')], Date.parse('2022-02-04T22:00:01.000Z')),
    ]);
    await d.flush('drain');
    const [data, errors] = bench.events.map((e) => e.object);
    expect(data?.key).toMatch(/^events\/year=2022\/month=02\/day=04\/hour=21\/lakehouse-dev-events-to-s3-1-2022-02-04-21-59-58-[0-9a-f-]{36}\.parquet$/);
    expect(errors?.key).toMatch(
      /^errors\/format-conversion-failed\/year=2022\/month=02\/day=04\/hour=21\/lakehouse-dev-events-to-s3-1-2022-02-04-21-59-59-[0-9a-f-]{36}$/,
    );
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(data?.path ?? '') });
    expect(rows).toHaveLength(2);
    const failed = parseErrorObjectBody(await readFile(errors?.path ?? '', 'utf8'));
    expect(failed.map((f) => [Buffer.from(f.rawData, 'base64').toString(), f.arrivalTimestamp])).toEqual([
      ['oops', Date.parse('2022-02-04T21:59:59.900Z')],
      ['[]', Date.parse('2022-02-04T22:00:01.000Z')],
    ]);
    expect(d.report({ bucketDir: '', catalogFile: '' })).toMatchObject({ recordsDelivered: 2, recordsFailed: 2 });
    d.close();
  });

  it('saves each shard’s last delivered sequence number only once its objects are in place, and leaves no temp file', async () => {
    const d = delivery({ sizeBytes: 128 * 1024 * 1024, intervalMillis: 3_600_000 });
    const batch = [...streamRecords(eventRecords(3).map(encode)), ...streamRecords(eventRecords(2).map(encode), Date.now(), 'shardId-000000000001')];
    await d.add(batch);
    expect(bench.checkpoints.position('shardId-000000000000')).toBeUndefined();
    await d.flush('drain');
    expect(bench.checkpoints.position('shardId-000000000000')).toBe(batch[2]?.sequenceNumber);
    expect(bench.checkpoints.position('shardId-000000000001')).toBe(batch[4]?.sequenceNumber);
    expect(await readdir(join(bench.dir, 'tmp'))).toEqual([]);
    d.close();
  });

  it('delivers nothing for an empty buffer', async () => {
    const d = delivery({ sizeBytes: 1, intervalMillis: 0 });
    await d.flush('drain');
    expect(bench.events).toEqual([]);
    d.close();
  });
});
