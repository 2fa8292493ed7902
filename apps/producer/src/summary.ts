import { relative, isAbsolute } from 'node:path';
import type { DeliveredObject, DeliveryReport } from '@lakehouse/pipeline';
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
  | { kind: 'embedded'; report: DeliveryReport; query: string }
  | { kind: 'running'; pid: number; query: string };

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
  seconds: number;
  recordsPerSecond: number;
  putRecords?: { calls: number; p50Ms?: number; p99Ms?: number };
  /** Failures by error code, retried or not. */
  errors: Record<string, number>;
  deadLetterFile?: string;
  stoppedBy?: string;
  lake?: LakeSummary;
}

export function buildSummary(
  tally: Tally,
  context: { dryRun: boolean; target: string; stream?: string; seconds: number; deadLetterFile?: string; lake?: LakeSummary },
): Summary {
  const { dryRun, target, stream, seconds, deadLetterFile, lake } = context;
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
    seconds: Math.round(seconds * 1000) / 1000,
    recordsPerSecond: seconds > 0 ? Math.round(tally.sent / seconds) : 0,
    ...(dryRun ? {} : { putRecords: { calls: tally.latency.count, p50Ms: round(tally.latency.percentile(50)), p99Ms: round(tally.latency.percentile(99)) } }),
    errors: Object.fromEntries([...tally.errors].sort((a, b) => b[1] - a[1])),
    ...(deadLetterFile && tally.deadLettered > 0 ? { deadLetterFile } : {}),
    ...(tally.stoppedBy ? { stoppedBy: tally.stoppedBy } : {}),
    ...(lake ? { lake } : {}),
  };
}

const count = (n: number) => n.toLocaleString('en-US');
const duration = (seconds: number) => (seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(1)} s`);
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** A path as short as it is clear: relative to the working directory when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const MAX_OBJECTS_LISTED = 5;

function formatLake(lake: LakeSummary): string[] {
  if (lake.kind === 'running') {
    return [`The running lake:up (pid ${lake.pid}) delivers them to Parquet when its buffer flushes.`, `Query them: ${lake.query}`];
  }
  const { report } = lake;
  const data: DeliveredObject[] = report.objects.filter((o) => o.kind === 'data');
  const errors = report.objects.filter((o) => o.kind === 'error');
  const lines = [
    `The embedded lakehouse delivered ${plural(report.recordsDelivered, 'record')} in ${plural(data.length, 'Parquet object')} under ${displayPath(report.bucketDir)}/:`,
    ...data.slice(0, MAX_OBJECTS_LISTED).map((o) => `  ${o.key}`),
    ...(data.length > MAX_OBJECTS_LISTED ? [`  … and ${count(data.length - MAX_OBJECTS_LISTED)} more`] : []),
  ];
  if (report.recordsFailed > 0) {
    lines.push(`${plural(report.recordsFailed, 'record')} failed conversion and went to the error prefix:`, ...errors.slice(0, MAX_OBJECTS_LISTED).map((o) => `  ${o.key}`));
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
  if (!dryRun) rows.push(['dead-lettered', count(summary.deadLettered)], ['retried', count(summary.retried)]);
  rows.push(['records/s', count(summary.recordsPerSecond)]);
  if (summary.putRecords) {
    const { calls, p50Ms, p99Ms } = summary.putRecords;
    rows.push(['PutRecords', calls === 0 ? 'no calls' : `${plural(calls, 'call')}, p50 ${p50Ms} ms, p99 ${p99Ms} ms`]);
  }
  const errors = Object.entries(summary.errors);
  if (errors.length > 0) rows.push(['errors', errors.map(([code, n]) => `${code} ×${count(n)}`).join(', ')]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const numberWidth = Math.max(...rows.filter(([, v]) => /^[\d,]+$/.test(v)).map(([, v]) => v.length));
  const table = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${/^[\d,]+$/.test(value) ? value.padStart(numberWidth) : value}`);

  const lines = [headline, '', ...table];
  if (summary.stoppedBy) lines.push('', `Stopped early: ${summary.stoppedBy}.`);
  if (summary.deadLetterFile) {
    lines.push('', `${plural(summary.deadLettered, 'record')} could not be delivered and are in ${displayPath(summary.deadLetterFile)}: send them again with --input ${displayPath(summary.deadLetterFile)}`);
  }
  if (summary.lake) lines.push('', ...formatLake(summary.lake));
  return lines.join('\n');
}
