import { readFile } from 'node:fs/promises';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parseErrorObjectBody } from '@lakehouse/firehose';
import { kplAggregate } from '@lakehouse/firehose/testing';
import type { EventRecord } from '@lakehouse/schema';
import type { StreamRecord } from '../kinesis/shard-reader';
import { FIRST_SHARD as SHARD, useDeliveryBench } from '../testing/delivery-bench';
import { encode, eventRecords } from '../testing/records';
import type { DeliveredEvent } from './delivery';

// KPL aggregated records, built by aws-kinesis-agg, through the local Firehose delivery: de-aggregated as Firehose
// de-aggregates a Kinesis source, each user record converted on its own.
const bench = useDeliveryBench();
const { delivery } = bench;
const streamRecord = (data: Uint8Array): StreamRecord => bench.streamRecords([data])[0] as StreamRecord;
const aggregateOf = (records: ReadonlyArray<EventRecord | string>) =>
  kplAggregate(records.map((r, i) => ({ partitionKey: typeof r === 'string' ? `k${i}` : r.uuid, data: encode(r) })));

async function rowsOf(event: DeliveredEvent | undefined): Promise<string[]> {
  const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(event?.object.path ?? '') })) as Array<{ uuid: string }>;
  return rows.map((r) => r.uuid);
}

describe('Delivery de-aggregates KPL records as Firehose does', () => {
  it('converts each user record of an aggregate on its own, beside plain records, every one exactly once', async () => {
    const records = eventRecords(10);
    const d = delivery();
    await d.add([
      streamRecord(encode(records[0])),
      streamRecord(await aggregateOf(records.slice(1, 5))),
      streamRecord(encode(records[5])),
      streamRecord(await aggregateOf(records.slice(6, 10))),
    ]);
    await d.flush('drain');
    expect(bench.events.map((e) => [e.object.kind, e.object.records])).toEqual([['data', 10]]);
    expect(await rowsOf(bench.events[0])).toEqual(records.map((r) => r.uuid));
    expect(d.report({ bucketDir: '', catalogFile: '' })).toMatchObject({ recordsDelivered: 10, recordsFailed: 0 });
    d.close();
  });

  it('sends a corrupt aggregate whole to the error output, and a user record that fails conversion with its subSequenceNumber', async () => {
    const records = eventRecords(4);
    const good = await aggregateOf([records[0] as EventRecord, 'not json', records[1] as EventRecord]);
    const badChecksum = await aggregateOf(records.slice(2, 4));
    badChecksum[badChecksum.length - 1] = (badChecksum[badChecksum.length - 1] as number) ^ 1;
    const badMagic = Uint8Array.from(good, (byte, i) => (i === 0 ? 0xf4 : byte));
    const input = [streamRecord(good), streamRecord(badChecksum), streamRecord(badMagic)];
    const d = delivery();
    await d.add(input);
    await d.flush('drain');

    const [data, errors] = bench.events;
    expect(await rowsOf(data)).toEqual([records[0]?.uuid, records[1]?.uuid]);
    const failed = parseErrorObjectBody(await readFile(errors?.object.path ?? '', 'utf8'));
    expect(failed.map((f) => [f.sequenceNumber, f.subSequenceNumber, f.lastErrorCode, Buffer.from(f.rawData, 'base64')])).toEqual([
      [input[0]?.sequenceNumber, 1, 'DataFormatConversion.ParseError', Buffer.from('not json')],
      [input[1]?.sequenceNumber, null, 'DataFormatConversion.ParseError', Buffer.from(badChecksum)],
      [input[2]?.sequenceNumber, null, 'DataFormatConversion.ParseError', Buffer.from(badMagic)],
    ]);
    expect(failed[1]?.lastErrorMessage).toBe(
      'Encountered malformed JSON. The record starts with the KPL aggregation magic but is not a valid aggregate (its MD5 checksum does not match), so it was not de-aggregated.',
    );
    expect(failed[2]?.lastErrorMessage).toBe('Encountered malformed JSON. The record is not valid UTF-8.');
    d.close();
  });

  it('never closes a buffer between the user records of one aggregate: the size hint waits for the Kinesis record’s end', async () => {
    const records = eventRecords(13);
    const size = encode(records[0]).byteLength;
    // The hint is reached at the third user record of the aggregate: all ten go in that delivery, with its position.
    const d = delivery({ sizeBytes: size * 4, intervalMillis: 3_600_000 });
    const aggregate = streamRecord(await aggregateOf(records.slice(2, 12)));
    const input = [streamRecord(encode(records[0])), streamRecord(encode(records[1])), aggregate, streamRecord(encode(records[12]))];
    await d.add(input);
    await d.idle();
    expect(bench.events.map((e) => [e.reason, e.object.records])).toEqual([['size', 12]]);
    expect(bench.checkpoints.position(SHARD)).toBe(aggregate.sequenceNumber);
    await d.flush('drain');
    expect(bench.events.map((e) => [e.reason, e.object.records])).toEqual([
      ['size', 12],
      ['drain', 1],
    ]);
    expect(bench.checkpoints.position(SHARD)).toBe(input[3]?.sequenceNumber);
    d.close();
  });
});
