import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { StackConfig } from '../config';

/** One alarm, as data. */
export interface AlarmSpec {
  /** Also the construct id and the alarm name's suffix. */
  id: string;
  description: string;
  namespace: 'AWS/Kinesis' | 'AWS/Firehose';
  metricName: string;
  dimensions: Record<string, string>;
  statistic: 'Maximum' | 'Minimum' | 'Sum';
  comparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
}

const FIVE_MINUTES = 300;

/**
 * How old the oldest undelivered record normally gets: the buffering interval, or 1.5 × it with dynamic partitioning,
 * whose multi-stage buffering "might be 1.5 times of the configured buffering hint time" (Firehose developer guide).
 */
export function expectedFreshnessSeconds(settings: StackConfig['settings']): number {
  return settings.partitioning === 'event-time' ? Math.ceil(settings.buffering.intervalSeconds * 1.5) : settings.buffering.intervalSeconds;
}

/**
 * What is watched: the stream falling behind or throttling writes, and Firehose delivering late
 * or failing (to write to S3, or to convert records to Parquet).
 */
export function alarmSpecs(config: StackConfig): AlarmSpec[] {
  return [...streamAlarmSpecs(config), ...deliveryAlarmSpecs(config)];
}

function streamAlarmSpecs({ settings, alarms }: StackConfig): AlarmSpec[] {
  const stream = { StreamName: settings.streamName };
  return [
    {
      id: 'stream-iterator-age',
      description: `Records wait in ${settings.streamName} longer than ${alarms.iteratorAgeMaxSeconds} s: Firehose is falling behind`,
      namespace: 'AWS/Kinesis',
      metricName: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: stream,
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: alarms.iteratorAgeMaxSeconds * 1000,
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
    },
    {
      id: 'stream-write-throttled',
      description: `Writes to ${settings.streamName} throttled for 10 minutes: add shards or use on-demand capacity`,
      namespace: 'AWS/Kinesis',
      metricName: 'WriteProvisionedThroughputExceeded',
      dimensions: stream,
      statistic: 'Sum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      periodSeconds: FIVE_MINUTES,
      // A burst the producer's retries absorb is normal; throttling that lasts is not.
      evaluationPeriods: 2,
    },
  ];
}

function deliveryAlarmSpecs({ settings, alarms }: StackConfig): AlarmSpec[] {
  const firehose = { DeliveryStreamName: settings.deliveryStreamName };
  return [
    {
      id: 'delivery-data-freshness',
      description: `The oldest record in ${settings.deliveryStreamName} is older than ${settings.partitioning === 'event-time' ? '1.5 × ' : ''}its buffering interval plus ${alarms.dataFreshnessMarginSeconds} s`,
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.DataFreshness',
      dimensions: firehose,
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: expectedFreshnessSeconds(settings) + alarms.dataFreshnessMarginSeconds,
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
    },
    {
      id: 'delivery-failures',
      description: `${settings.deliveryStreamName} failed to write to S3 (see its delivery log)`,
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.Success',
      dimensions: firehose,
      statistic: 'Minimum',
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
    },
    {
      id: 'delivery-conversion-failures',
      description: `${settings.deliveryStreamName} could not convert records to Parquet; they are under ${settings.errorPrefix}format-conversion-failed/`,
      namespace: 'AWS/Firehose',
      metricName: 'FailedConversion.Records',
      dimensions: firehose,
      statistic: 'Sum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
    },
  ];
}

/** CloudWatch alarms from `alarmSpecs`; no data (an idle pipeline) is not an alarm. */
export class Alarms extends Construct {
  public readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    const actions = [...config.alarms.actions];
    this.alarms = alarmSpecs(config).map(
      (spec) =>
        new CloudwatchMetricAlarm(this, spec.id, {
          alarmName: `${config.stackName}-${spec.id}`,
          alarmDescription: spec.description,
          namespace: spec.namespace,
          metricName: spec.metricName,
          dimensions: spec.dimensions,
          statistic: spec.statistic,
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          period: spec.periodSeconds,
          evaluationPeriods: spec.evaluationPeriods,
          treatMissingData: 'notBreaching',
          alarmActions: actions,
          okActions: actions,
        }),
    );
  }
}
