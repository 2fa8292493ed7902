import { displayPath, renderTable } from '@lakehouse/runtime';
import { type DeliveredObject, type DeliveryReport, failedAs } from '@lakehouse/local';
import type { Tally } from './tally';

export const QUERY_COMMAND = 'npx nx run lake:query "SELECT status, count(*) FROM events GROUP BY status"';

const shellWord = (word: string) => (/^[\w./:@-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The query command for this lake: the flags appear only when they differ from the defaults. */
export function queryCommand(options: { dataDir?: string; environment?: string } = {}): string {
  const flags = [
    ...(options.dataDir ? [`--data-dir ${shellWord(options.dataDir)}`] : []),
    ...(options.environment ? [`--env ${shellWord(options.environment)}`] : []),
  ];
  return flags.length === 0 ? QUERY_COMMAND : QUERY_COMMAND.replace('lake:query ', `lake:query ${flags.join(' ')} `);
}

/** Where the records landed locally, and how to query them. */
export type LakeSummary =
  /** `leftover`: records an earlier run left in the lake's stream on disk (killed before delivering), delivered too. */
  | { kind: 'embedded'; report: DeliveryReport; leftover?: number; query: string }
  /** A lake:up took them; `previousPid` when it restarted during the run. */
  | { kind: 'running'; pid: number; previousPid?: number; query: string }
  /** The lake:up that took them has stopped since; `undelivered`: how many of them it had not delivered when it died. */
  | { kind: 'stopped'; pid: number; undelivered?: number; query: string };

/** The run's outcome, as `--json` prints it. requested = sent + rejected + deadLettered. */
export interface Summary {
  dryRun: boolean;
  /** `http://127.0.0.1:4567 (embedded local lakehouse)`, `AWS (eu-west-1)`, `stdout`. */
  target: string;
  stream?: string;
  requested: number;
  sent: number;
  rejected: number;
  deadLettered: number;
  retried: number;
  /** Kinesis records accepted: `sent` without --aggregate; with it, the aggregates and the records sent alone. */
  kinesisRecords: number;
  /** PutRecords entries refused with ProvisionedThroughputExceededException. */
  throttled: number;
  /** Records sent again, alone, because their aggregate landed on a shard that had split (the KCL drops those). */
  resent: number;
  seconds: number;
  recordsPerSecond: number;
  putRecords?: { calls: number; p50Ms?: number; p99Ms?: number };
  /** Failures by error code, retried or not. */
  errors: Record<string, number>;
  deadLetterFile?: string;
  stoppedBy?: string;
  lake?: LakeSummary;
}

/** What the run knows besides the counts. */
export interface SummaryContext {
  dryRun: boolean;
  target: string;
  stream?: string;
  seconds: number;
  deadLetterFile?: string;
  /** Why the run ended before its source did (the deadline is not a reason: it is the plan). */
  stoppedBy?: string;
  lake?: LakeSummary;
}

export function buildSummary(tally: Tally, context: SummaryContext): Summary {
  const { dryRun, target, stream, seconds, deadLetterFile, stoppedBy, lake } = context;
  const round = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 10) / 10);
  return {
    dryRun,
    target,
    ...(stream ? { stream } : {}),
    requested: tally.requested,
    sent: tally.sent,
    rejected: tally.rejected,
    deadLettered: tally.deadLettered,
    retried: tally.retried,
    kinesisRecords: tally.kinesisRecords,
    throttled: tally.throttled,
    resent: tally.resent,
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSecond: seconds > 0 ? Math.round(tally.sent / seconds) : 0,
    ...(dryRun ? {} : { putRecords: { calls: tally.latency.count, p50Ms: round(tally.latency.percentile(50)), p99Ms: round(tally.latency.percentile(99)) } }),
    errors: Object.fromEntries([...tally.errors].sort((a, b) => b[1] - a[1])),
    ...(deadLetterFile && tally.deadLettered > 0 ? { deadLetterFile } : {}),
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(lake ? { lake } : {}),
  };
}

const count = (n: number) => n.toLocaleString('en-US');
const duration = (seconds: number) => (seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`);
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

const MAX_OBJECTS_LISTED = 5;

function formatLake(lake: LakeSummary): string[] {
  if (lake.kind === 'running') {
    const restarted = lake.previousPid === undefined ? '' : ` (it restarted during the run; pid ${lake.previousPid} before)`;
    return [`The running lake:up (pid ${lake.pid}) delivers them to Parquet when its buffer flushes${restarted}.`, `Query them: ${lake.query}`];
  }
  if (lake.kind === 'stopped' && lake.undelivered !== undefined) {
    return [
      `The lake:up that took them (pid ${lake.pid}) died before delivering ${plural(lake.undelivered, 'record')} of them: start it again with the same --data-dir, and it delivers them from its stream on disk (--persist).`,
    ];
  }
  if (lake.kind === 'stopped') {
    return [
      `The lake:up that took them (pid ${lake.pid}) has stopped: start it again with the same --data-dir; with --persist it delivers what it had not yet delivered.`,
    ];
  }
  const { report } = lake;
  const data: DeliveredObject[] = report.objects.filter((o) => o.kind === 'data');
  const errors = report.objects.filter((o) => o.kind === 'error');
  const lines = [
    `The embedded lakehouse delivered ${plural(report.recordsDelivered, 'record')} in ${plural(data.length, 'Parquet object')} under ${displayPath(report.bucketDir)}/:`,
    ...data.slice(0, MAX_OBJECTS_LISTED).map((o) => `  ${o.key}`),
    ...(data.length > MAX_OBJECTS_LISTED ? [`  … and ${count(data.length - MAX_OBJECTS_LISTED)} more`] : []),
  ];
  if (lake.leftover) lines.push(`(${plural(lake.leftover, 'record')} of them an earlier run left in its stream on disk when it was killed.)`);
  // Grouped by why they failed (the error output type in each key): conversion, partitioning, …
  const failed = new Map<string, DeliveredObject[]>();
  for (const object of errors) {
    const why = failedAs(object);
    failed.set(why, [...(failed.get(why) ?? []), object]);
  }
  for (const [why, objects] of failed) {
    const records = objects.reduce((n, o) => n + o.records, 0);
    lines.push(`${plural(records, 'record')} ${why} and went to the error prefix:`, ...objects.slice(0, MAX_OBJECTS_LISTED).map((o) => `  ${o.key}`));
  }
  lines.push(`Query them: ${lake.query}`);
  return lines;
}

/** The summary as people read it: a headline, a table of counts, then where things are. */
export function formatSummary(summary: Summary): string {
  const { dryRun } = summary;
  const headline = dryRun
    ? `Dry run: ${plural(summary.sent, 'record')} written to stdout in ${duration(summary.seconds)}, nothing sent.`
    : `${plural(summary.sent, 'record')} sent to stream ${summary.stream} at ${summary.target} in ${duration(summary.seconds)}.`;
  const rows: Array<[string, string]> = [
    ['requested', count(summary.requested)],
    [dryRun ? 'written' : 'sent', count(summary.sent)],
    ['rejected', count(summary.rejected)],
  ];
  if (!dryRun) rows.push(['dead-lettered', count(summary.deadLettered)], ['retried', count(summary.retried)], ['throttled', count(summary.throttled)]);
  if (summary.resent > 0) rows.push(['resent', `${count(summary.resent)} (alone: their aggregate landed on a shard that had split)`]);
  rows.push(['records/s', count(summary.recordsPerSecond)]);
  if (!dryRun && summary.kinesisRecords > 0 && summary.kinesisRecords !== summary.sent) {
    rows.push([
      'Kinesis records',
      `${count(summary.kinesisRecords)} (aggregated: ${(summary.sent / summary.kinesisRecords).toFixed(1)} records each on average)`,
    ]);
  }
  if (summary.putRecords) {
    const { calls, p50Ms, p99Ms } = summary.putRecords;
    rows.push(['PutRecords', calls === 0 ? 'no calls' : `${plural(calls, 'call')}, p50 ${p50Ms} ms, p99 ${p99Ms} ms`]);
  }
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) rows.push(['errors', errors.map(([code, n]) => `${code} ×${count(n)}`).join(', ')]);
  // Counts right-aligned among themselves; text values (PutRecords, errors) start where the counts start.
  const isCount = (value: string) => /^[\d,]+$/.test(value);
  const countWidth = rows.reduce((width, [, value]) => (isCount(value) ? Math.max(width, value.length) : width), 0);
  const table = renderTable(
    rows.map(([label, value]) => [label, isCount(value) ? value.padStart(countWidth) : value]),
    { indent: '  ' },
  );

  const lines = [headline, '', table];
  if (summary.stoppedBy) lines.push('', `Stopped early: ${summary.stoppedBy}.`);
  if (summary.deadLetterFile) {
    lines.push(
      '',
      `${plural(summary.deadLettered, 'record')} could not be delivered and are in ${displayPath(summary.deadLetterFile)}: send them again with --input ${displayPath(summary.deadLetterFile)}`,
    );
  }
  if (summary.lake) lines.push('', ...formatLake(summary.lake));
  return lines.join('\n');
}
