import { describe, expect, it } from 'vitest';
import { pipelineSettings } from '@lakehouse/pipeline';
import { objectName, parseObjectName, LOCAL_DELIVERY_STREAM_VERSION } from './object-name';
import { compilePrefix, evaluatePrefix } from './prefix';

const settings = pipelineSettings('dev', { partitioning: 'arrival' });
const ARRIVAL = Date.parse('2022-02-04T21:07:05.923Z');
const UUID = '6c1c1b95-e0c8-45a8-8d70-4cb7e3d7f3d9';

describe('objectName', () => {
  it('is <stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>, the time to the second in UTC', () => {
    const name = objectName({ deliveryStreamName: settings.deliveryStreamName, version: 1, arrivalMillis: ARRIVAL, uuid: UUID, extension: '.parquet' });
    expect(name).toBe(`lakehouse-dev-events-to-s3-1-2022-02-04-21-07-05-${UUID}.parquet`);
  });

  it('has no extension for error objects', () => {
    expect(objectName({ deliveryStreamName: 's', version: 3, arrivalMillis: ARRIVAL, uuid: UUID })).toBe(`s-3-2022-02-04-21-07-05-${UUID}`);
  });

  it('makes a full key with the evaluated prefix, as in the bucket', () => {
    const key =
      evaluatePrefix(compilePrefix(settings.firehosePrefix), { arrivalMillis: ARRIVAL }) +
      objectName({
        deliveryStreamName: settings.deliveryStreamName,
        version: LOCAL_DELIVERY_STREAM_VERSION,
        arrivalMillis: ARRIVAL,
        uuid: UUID,
        extension: settings.fileExtension,
      });
    expect(key).toBe(`events/year=2022/month=02/day=04/hour=21/lakehouse-dev-events-to-s3-1-2022-02-04-21-07-05-${UUID}.parquet`);
  });
});

describe('parseObjectName', () => {
  it('reads a name back', () => {
    expect(parseObjectName(`lakehouse-dev-events-to-s3-1-2022-02-04-21-07-05-${UUID}.parquet`, settings.deliveryStreamName)).toEqual({
      version: 1,
      time: '2022-02-04-21-07-05',
      uuid: UUID,
      extension: '.parquet',
    });
  });

  it.each([
    [`other-stream-1-2022-02-04-21-07-05-${UUID}`],
    [`lakehouse-dev-events-to-s3-1-2022-02-04-21-07-${UUID}`],
    [`lakehouse-dev-events-to-s3-x-2022-02-04-21-07-05-${UUID}`],
    ['lakehouse-dev-events-to-s3-1-2022-02-04-21-07-05-not-a-uuid'],
  ])('refuses %s', (name) => {
    expect(parseObjectName(name, settings.deliveryStreamName)).toBeUndefined();
  });
});
