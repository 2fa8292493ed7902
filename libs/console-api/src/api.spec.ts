import { describe, expect, it } from 'vitest';
import { API, PIPELINE_METRICS } from './index';

describe('the console API', () => {
  it('keeps every endpoint under /api/, each path once', () => {
    const paths = Object.values(API);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(path).toMatch(/^\/api\/[a-z-]+$/);
  });

  it('graphs the metrics AWS publishes under AWS’s own names, and the buffer locally', () => {
    expect(PIPELINE_METRICS.filter((m) => m.namespace !== 'local').map((m) => m.name)).toEqual([
      'IncomingRecords',
      'IncomingBytes',
      'GetRecords.IteratorAgeMilliseconds',
      'DeliveryToS3.Records',
      'DeliveryToS3.Bytes',
      'DeliveryToS3.DataFreshness',
      'SucceedConversion.Records',
      'FailedConversion.Records',
      'PartitionCount',
      'PartitionCountExceeded',
      'JQProcessing.Duration',
    ]);
    expect(new Set(PIPELINE_METRICS.map((m) => m.id)).size).toBe(PIPELINE_METRICS.length);
  });
});
