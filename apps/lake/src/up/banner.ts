import { DEFAULT_ENVIRONMENT } from '@lakehouse/pipeline';
import { displayPath } from '@lakehouse/runtime';
import { type DeliveredEvent, type DeliveryReport, failedAs, type LakehouseInfo } from '@lakehouse/local';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One line per object, as it lands. */
export function describeDelivery({ object, reason }: DeliveredEvent, now = new Date()): string {
  const what = object.kind === 'data' ? `delivered ${plural(object.records, 'record')}` : `${plural(object.records, 'record')} ${failedAs(object)}`;
  return `${now.toISOString().slice(11, 19)} ${what} (${reason}) -> ${object.key} (${formatBytes(object.bytes)})`;
}

/** The totals line printed when the lakehouse stops. */
export function describeReport(report: DeliveryReport): string {
  const failed = report.recordsFailed > 0 ? `; ${count(report.recordsFailed)} failed (under errors/)` : '';
  const objects = report.objects.filter((o) => o.kind === 'data').length;
  return `${count(report.recordsDelivered)} records delivered in ${plural(objects, 'Parquet object')}${failed}`;
}

/** What start-up found and did, if anything: a resumed stream, a recovered delivery, leftovers removed. */
function recoveryLines(info: LakehouseInfo): string[] {
  const lines: string[] = [];
  if (info.resumed) lines.push('  resumed the stream kept on disk');
  const interrupted = info.recovery?.interrupted;
  if (interrupted?.outcome === 'completed')
    lines.push(`  recovered: finished a delivery interrupted after its ${interrupted.keys.length} objects were in place`);
  if (interrupted?.outcome === 'undone') {
    lines.push(
      `  recovered: undid a delivery interrupted before its objects were all in place (${interrupted.removed.length} removed); its records are delivered again`,
    );
  }
  if (info.recovery?.otherStream) lines.push('  the saved positions belonged to an earlier stream: reading this one from its start');
  if (info.discardedTempFiles > 0) lines.push(`  removed ${info.discardedTempFiles} temporary files of deliveries that never completed`);
  return lines;
}

/** What `lake:up` prints once it is ready: where everything is, and how to send and query. */
export function banner(info: LakehouseInfo, persist: boolean, consoleUrl?: string): string[] {
  const { settings, limits, layout } = info;
  const awsInterval = settings.buffering.intervalSeconds;
  const localInterval = limits.intervalMillis / 1000;
  const interval =
    localInterval < awsInterval ? `${localInterval} s (AWS waits ${awsInterval} s; shortened locally, set with --buffer-interval)` : `${localInterval} s`;
  const envFlag = settings.environment === DEFAULT_ENVIRONMENT ? '' : ` --env ${settings.environment}`;
  return [
    `lakehouse ${settings.environment} is up`,
    `  kinesis:   ${info.endpoint}  stream ${info.streamName} (${plural(info.shardCount, 'shard')}, ${persist ? `on disk in ${displayPath(layout.kinesisDir)}` : 'in memory; --persist keeps it on disk'})`,
    `  lake:      ${displayPath(layout.bucketDir)}/  (catalog ${displayPath(layout.catalogFile)})`,
    `  buffering: ${formatBytes(limits.sizeBytes)} or ${interval}, whichever comes first`,
    ...(consoleUrl ? [`  console:   ${consoleUrl}  (graphs, bucket, catalog, SQL)`] : []),
    `  send:      nx run producer:send --amount 10${envFlag}`,
    `  query:     nx run lake:query "SELECT status, count(*) FROM events GROUP BY status"${envFlag}`,
    ...recoveryLines(info),
    'Ctrl-C reads the stream to its end, delivers what is buffered, and stops.',
  ];
}
