import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { eventRecordSchema, glueColumns } from '@lakehouse/schema';
import { glueTableDefinition } from './glue-table';
import { hiveTimePrefix, projectionLocationTail, projectionParameters, TIME_PARTITIONS } from './partitions';
import { pipelineSettings } from './settings';

const settings = pipelineSettings('dev');
const table = glueTableDefinition(settings, 'my-bucket');

describe('glueTableDefinition', () => {
  it('is a Parquet table under the data prefix, typed from the schema', () => {
    expect(table).toMatchObject({
      databaseName: 'lakehouse_dev',
      name: 'events',
      tableType: 'EXTERNAL_TABLE',
      location: 's3://my-bucket/events/',
      serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    });
    expect(table.columns).toEqual(glueColumns());
    expect(table.columns.find((c) => c.name === 'event_date')?.type).toBe('timestamp');
    expect(table.columns.find((c) => c.name === 'phone')?.type).toBe('bigint');
  });

  it('has the time partitions as int partition keys', () => {
    expect(table.partitionKeys.map((k) => [k.name, k.type])).toEqual([
      ['year', 'int'],
      ['month', 'int'],
      ['day', 'int'],
      ['hour', 'int'],
    ]);
  });

  it.each(['arrival', 'event-time'] as const)('projects %s partitions onto the same folders Firehose writes', (partitioning) => {
    const s = pipelineSettings('dev', { partitioning });
    const t = glueTableDefinition(s, 'my-bucket');
    expect(t.parameters['projection.enabled']).toBe('true');
    expect(t.parameters['storage.location.template']).toBe('s3://my-bucket/events/year=${year}/month=${month}/day=${day}/hour=${hour}/');
    // Firehose's prefix and the projection template name the same keys in the same order.
    const firehoseKeys = [...s.firehosePrefix.matchAll(/(\w+)=!\{(?:timestamp|partitionKeyFromQuery):/g)].map((m) => m[1]);
    const templateKeys = [...(t.parameters['storage.location.template'] ?? '').matchAll(/(\w+)=\$\{(\w+)\}/g)].map((m) => m[1]);
    expect(firehoseKeys).toEqual(t.partitionKeys.map((k) => k.name));
    expect(templateKeys).toEqual(firehoseKeys);
  });

  it.each([
    ['arrival', 'Hour of arrival in Firehose (UTC): year'],
    ['event-time', 'Hour of event_date (UTC): year'],
  ] as const)('says what a %s partition means in the column comment', (partitioning, comment) => {
    expect(glueTableDefinition(pipelineSettings('dev', { partitioning }), 'b').partitionKeys[0]?.comment).toBe(comment);
  });

  it('follows an extended schema', () => {
    const extended = glueTableDefinition(settings, 'b', eventRecordSchema.extend({ country: z.string() }));
    expect(extended.columns.at(-1)).toEqual({ name: 'country', type: 'string' });
  });
});

describe('time partitions', () => {
  it('builds the Hive prefix from the partition list', () => {
    expect(hiveTimePrefix()).toBe('year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/');
    expect(projectionLocationTail()).toBe('year=${year}/month=${month}/day=${day}/hour=${hour}/');
  });

  it('pads month, day and hour to two digits, as Firehose writes them', () => {
    const params = projectionParameters('s3://b/p/');
    expect(params).toMatchObject({
      'projection.year.type': 'integer',
      'projection.year.range': '2025,2035',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.day.range': '1,31',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    for (const p of TIME_PARTITIONS) expect(p.pattern.length).toBe(p.digits);
  });
});
