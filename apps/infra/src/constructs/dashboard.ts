import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { PIPELINE_METRICS, type PipelineMetric } from '@lakehouse/pipeline';
import type { StackConfig } from '../config';

/** CloudWatch's finest period for these metrics: Kinesis and Firehose publish once a minute. */
const PERIOD_SECONDS = 60;
/** The dashboard grid is 24 units wide: three graphs a row. */
const WIDGET = { width: 8, height: 6 } as const;

type CloudMetric = PipelineMetric & { namespace: 'AWS/Kinesis' | 'AWS/Firehose'; dimension: 'StreamName' | 'DeliveryStreamName' };

/** The metrics CloudWatch has: every pipeline metric but the local console's own (the buffer). */
export const DASHBOARD_METRICS = PIPELINE_METRICS.filter((m): m is (typeof PIPELINE_METRICS)[number] & CloudMetric => m.namespace !== 'local');

/** The metrics the stack's delivery stream publishes: the dynamic-partitioning ones only with event-time partitioning. */
export function dashboardMetrics(config: StackConfig): typeof DASHBOARD_METRICS {
  return DASHBOARD_METRICS.filter((m) => !('partitioning' in m) || m.partitioning === config.settings.partitioning);
}

/**
 * The dashboard body: one graph per metric, in the order and under the titles the local console uses, then the
 * alarms' states. A pure function of the config, so a test reads it as JSON.
 */
export function dashboardBody(config: StackConfig, alarmArns: readonly string[]): { widgets: unknown[] } {
  const { settings, region } = config;
  const resource = { StreamName: settings.streamName, DeliveryStreamName: settings.deliveryStreamName };
  const graphs = dashboardMetrics(config).map((metric, i) => ({
    type: 'metric',
    x: (i % 3) * WIDGET.width,
    y: Math.floor(i / 3) * WIDGET.height,
    ...WIDGET,
    properties: {
      title: metric.title,
      region,
      view: 'timeSeries',
      stat: metric.stat,
      period: PERIOD_SECONDS,
      metrics: [[metric.namespace, metric.name, metric.dimension, resource[metric.dimension]]],
      yAxis: { left: { label: metric.unit, min: 0 } },
    },
  }));
  const alarms = {
    type: 'alarm',
    x: 0,
    y: Math.ceil(graphs.length / 3) * WIDGET.height,
    width: 24,
    height: 3,
    properties: { title: 'Alarms', alarms: [...alarmArns] },
  };
  return { widgets: [...graphs, alarms] };
}

/** The pipeline's CloudWatch dashboard: what the local console's graphs show, for the deployed stack. */
export class Dashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;
  /** Where it opens in the AWS console. */
  public readonly url: string;

  constructor(scope: Construct, id: string, config: StackConfig, alarmArns: readonly string[]) {
    super(scope, id);
    const name = `${config.stackName}-pipeline`;
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: name,
      // Alarm ARNs are only known at apply time: the body is Terraform's jsonencode of the data.
      dashboardBody: Fn.jsonencode(dashboardBody(config, alarmArns)),
    });
    this.url = `https://${config.region}.console.aws.amazon.com/cloudwatch/home?region=${config.region}#dashboards/dashboard/${name}`;
  }
}
