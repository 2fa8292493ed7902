/**
 * The pipeline's metrics, one row each: the CloudWatch dashboard the stack deploys and the local console's graphs
 * are both drawn from this list, so they show the same things under the same names. Metrics with a CloudWatch
 * namespace are AWS's own (the local lake keeps twins of them); the buffer's exist only locally (Firehose doesn't
 * publish its buffer).
 */
import type { Partitioning } from './partitions';

export interface PipelineMetric {
  /** Stable id: the console's series key. */
  id: string;
  /** Where CloudWatch has it; `local` for what only the local console shows. */
  namespace: 'AWS/Kinesis' | 'AWS/Firehose' | 'local';
  /** The CloudWatch metric name (or, for local ones, a name in the same style). */
  name: string;
  /** The dimension that names the resource: the stream or the delivery stream. */
  dimension: 'StreamName' | 'DeliveryStreamName' | null;
  /**
   * Set when the metric exists only under one partitioning: Firehose publishes its dynamic-partitioning metrics
   * only for a delivery stream with dynamic partitioning on (event time).
   */
  partitioning?: Partitioning;
  /** How a period's values combine: per-second sums for counts, the maximum for ages. */
  stat: 'Sum' | 'Maximum';
  unit: 'Count' | 'Bytes' | 'Milliseconds' | 'Seconds';
  /** The graph's title. */
  title: string;
  stage: 'stream' | 'delivery' | 'buffer';
}

export const PIPELINE_METRICS = [
  {
    id: 'incomingRecords',
    namespace: 'AWS/Kinesis',
    name: 'IncomingRecords',
    dimension: 'StreamName',
    stat: 'Sum',
    unit: 'Count',
    title: 'Records into the stream',
    stage: 'stream',
  },
  {
    id: 'incomingBytes',
    namespace: 'AWS/Kinesis',
    name: 'IncomingBytes',
    dimension: 'StreamName',
    stat: 'Sum',
    unit: 'Bytes',
    title: 'Bytes into the stream',
    stage: 'stream',
  },
  {
    id: 'iteratorAge',
    namespace: 'AWS/Kinesis',
    name: 'GetRecords.IteratorAgeMilliseconds',
    dimension: 'StreamName',
    stat: 'Maximum',
    unit: 'Milliseconds',
    title: 'Age of the newest record read',
    stage: 'stream',
  },
  {
    id: 'deliveredRecords',
    namespace: 'AWS/Firehose',
    name: 'DeliveryToS3.Records',
    dimension: 'DeliveryStreamName',
    stat: 'Sum',
    unit: 'Count',
    title: 'Records delivered to the bucket',
    stage: 'delivery',
  },
  {
    id: 'deliveredBytes',
    namespace: 'AWS/Firehose',
    name: 'DeliveryToS3.Bytes',
    dimension: 'DeliveryStreamName',
    stat: 'Sum',
    unit: 'Bytes',
    title: 'Bytes delivered to the bucket',
    stage: 'delivery',
  },
  {
    id: 'dataFreshness',
    namespace: 'AWS/Firehose',
    name: 'DeliveryToS3.DataFreshness',
    dimension: 'DeliveryStreamName',
    stat: 'Maximum',
    unit: 'Seconds',
    title: 'Age of the oldest record not yet delivered',
    stage: 'delivery',
  },
  {
    id: 'convertedRecords',
    namespace: 'AWS/Firehose',
    name: 'SucceedConversion.Records',
    dimension: 'DeliveryStreamName',
    stat: 'Sum',
    unit: 'Count',
    title: 'Records converted to Parquet',
    stage: 'delivery',
  },
  {
    id: 'failedRecords',
    namespace: 'AWS/Firehose',
    name: 'FailedConversion.Records',
    dimension: 'DeliveryStreamName',
    stat: 'Sum',
    unit: 'Count',
    title: 'Records that failed conversion',
    stage: 'delivery',
  },
  {
    id: 'partitionCount',
    namespace: 'AWS/Firehose',
    name: 'PartitionCount',
    dimension: 'DeliveryStreamName',
    partitioning: 'event-time',
    stat: 'Maximum',
    unit: 'Count',
    title: 'Active partitions (limit 500)',
    stage: 'delivery',
  },
  {
    id: 'partitionCountExceeded',
    namespace: 'AWS/Firehose',
    name: 'PartitionCountExceeded',
    dimension: 'DeliveryStreamName',
    partitioning: 'event-time',
    // 1 while the active-partition limit is exceeded (records then go to the error output), else 0.
    stat: 'Maximum',
    unit: 'Count',
    title: 'Active-partition limit exceeded (1 = yes)',
    stage: 'delivery',
  },
  {
    id: 'jqDuration',
    namespace: 'AWS/Firehose',
    name: 'JQProcessing.Duration',
    dimension: 'DeliveryStreamName',
    partitioning: 'event-time',
    stat: 'Maximum',
    unit: 'Milliseconds',
    title: 'Time spent in the partition-key JQ query',
    stage: 'delivery',
  },
  {
    id: 'bufferedRecords',
    namespace: 'local',
    name: 'Buffer.Records',
    dimension: null,
    stat: 'Maximum',
    unit: 'Count',
    title: 'Records waiting in the buffer',
    stage: 'buffer',
  },
  {
    id: 'bufferedBytes',
    namespace: 'local',
    name: 'Buffer.Bytes',
    dimension: null,
    stat: 'Maximum',
    unit: 'Bytes',
    title: 'Bytes waiting in the buffer',
    stage: 'buffer',
  },
] as const satisfies readonly PipelineMetric[];

export type PipelineMetricId = (typeof PIPELINE_METRICS)[number]['id'];
