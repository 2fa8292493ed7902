import { describe, expect, it } from 'vitest';
import { checkSettings, pipelineSettings, shardCountOf } from './settings';

describe('pipelineSettings', () => {
  it('names every resource of the dev environment', () => {
    expect(pipelineSettings('dev')).toEqual({
      project: 'lakehouse',
      environment: 'dev',
      streamName: 'lakehouse-dev-events',
      deliveryStreamName: 'lakehouse-dev-events-to-s3',
      bucketNamePrefix: 'lakehouse-dev-lake-',
      databaseName: 'lakehouse_dev',
      tableName: 'events',
      workgroupName: 'lakehouse-dev',
      dataPrefix: 'events/',
      errorPrefix: 'errors/',
      athenaResultsPrefix: 'athena-results/',
      partitioning: 'event-time',
      firehosePrefix:
        'events/year=!{partitionKeyFromQuery:year}/month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}/hour=!{partitionKeyFromQuery:hour}/',
      errorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      fileExtension: '.parquet',
      buffering: { sizeMiB: 128, intervalSeconds: 60 },
      capacity: { mode: 'PROVISIONED', shardCount: 2 },
    });
  });

  it('defaults to dev', () => {
    expect(pipelineSettings()).toEqual(pipelineSettings('dev'));
  });

  it('uses on-demand capacity, arrival partitioning and Firehose’s default buffering in prod', () => {
    const prod = pipelineSettings('prod');
    expect(prod.partitioning).toBe('arrival');
    expect(prod.firehosePrefix).toBe('events/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/');
    expect(prod.capacity).toEqual({ mode: 'ON_DEMAND' });
    expect(prod.buffering).toEqual({ sizeMiB: 128, intervalSeconds: 300 });
  });

  it('takes overrides for an environment of the user’s own', () => {
    const s = pipelineSettings('qa', { buffering: { sizeMiB: 64 }, capacity: { mode: 'PROVISIONED', shardCount: 8 } });
    expect(s.streamName).toBe('lakehouse-qa-events');
    expect(s.buffering).toEqual({ sizeMiB: 64, intervalSeconds: 300 });
    expect(shardCountOf(s.capacity)).toBe(8);
  });

  it('takes the partitioning as an override, arrival for an environment of the user’s own', () => {
    expect(pipelineSettings('qa').partitioning).toBe('arrival');
    expect(pipelineSettings('prod', { partitioning: 'event-time' }).firehosePrefix).toBe(pipelineSettings('dev').firehosePrefix);
    expect(pipelineSettings('dev', { partitioning: 'arrival' }).firehosePrefix).toBe(pipelineSettings('prod').firehosePrefix);
  });

  it('keeps the error output type and arrival-time folders in the error prefix in both modes (AWS refuses partition keys there)', () => {
    for (const partitioning of ['arrival', 'event-time'] as const) {
      const s = pipelineSettings('qa', { partitioning });
      expect(s.errorOutputPrefix).toBe(
        'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
      );
      expect(s.firehosePrefix.startsWith(s.dataPrefix)).toBe(true);
      expect(s.errorOutputPrefix.startsWith(s.errorPrefix)).toBe(true);
    }
  });
});

describe('checkSettings: what AWS would refuse fails early, naming the field', () => {
  it.each([
    ['Dev', {}, 'environment: expected 2 to 16 lower-case letters or digits starting with a letter, got "Dev"'],
    ['1abc', {}, 'environment: expected 2 to 16 lower-case letters or digits starting with a letter, got "1abc"'],
    ['qa', { buffering: { sizeMiB: 32 } }, 'buffering.sizeMiB: expected an integer from 64 to 128 (Parquet conversion needs at least 64), got 32'],
    ['qa', { buffering: { sizeMiB: 129 } }, 'buffering.sizeMiB: expected an integer from 64 to 128'],
    ['qa', { buffering: { intervalSeconds: 901 } }, 'buffering.intervalSeconds: expected an integer from 0 to 900, got 901'],
    ['qa', { capacity: { mode: 'PROVISIONED' as const, shardCount: 0 } }, 'capacity.shardCount: expected a positive integer, got 0'],
    ['qa', { partitioning: 'event' as never }, 'partitioning: expected one of arrival, event-time, got "event"'],
    [
      'dev',
      { buffering: { intervalSeconds: 59 } },
      'buffering.intervalSeconds: expected at least 60 with event-time partitioning (Firehose has no zero buffering with dynamic partitioning), got 59',
    ],
  ])('%s %j', (env, overrides, message) => {
    expect(() => pipelineSettings(env, overrides)).toThrow(message);
  });

  it('allows zero buffering with arrival partitioning only', () => {
    expect(pipelineSettings('dev', { partitioning: 'arrival', buffering: { intervalSeconds: 0 } }).buffering.intervalSeconds).toBe(0);
  });

  it('returns good settings unchanged', () => {
    const s = pipelineSettings('dev');
    expect(checkSettings(s)).toBe(s);
  });

  it('counts on-demand streams as 4 shards', () => {
    expect(shardCountOf({ mode: 'ON_DEMAND' })).toBe(4);
  });
});
