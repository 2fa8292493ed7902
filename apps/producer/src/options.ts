import { DEFAULT_ENVIRONMENT } from '@lakehouse/pipeline';
import { COMMON_FLAGS, flagHelp, parseFlags, settingsOfEnvFlag, usageError, wholeNumberFlag, type Flags } from '@lakehouse/runtime';
import { eventRecordSchema, type EventRecord } from '@lakehouse/schema';
import { parseEventTimeSpread } from './event-time-spread';
import { DEFAULT_RETRY } from './kinesis/retry';
import { AWS_SHARD_LIMITS, type ShardLimits } from './kinesis/shard-pacer';
import type { OnInvalid } from './source/validate';

/** What `producer:send` was asked to do, checked. */
export interface SendSettings {
  /** Records to send; undefined means no limit (--duration, or all of --input). */
  amount?: number;
  durationMs?: number;
  /** Records per second, spread evenly. */
  rate?: number;
  seed?: number;
  /** Generated event_date values spread over this many milliseconds into the past (--event-time-spread). */
  eventTimeSpreadMs?: number;
  /** An NDJSON file, or `-` for stdin. */
  input?: string;
  onInvalid: OnInvalid;
  partitionKey: keyof EventRecord;
  concurrency: number;
  retryBudgetMs: number;
  /** Pack records into KPL aggregated records (--aggregate). */
  aggregate?: true;
  /** Per-shard limits given on the command line; the target decides when none is (AWS and endpoints: AWS's). */
  shardLimits?: Partial<ShardLimits>;
  target: 'local' | 'aws' | 'endpoint';
  endpoint?: string;
  stream?: string;
  environment: string;
  lakeDir?: string;
  deadLetter?: string;
  dryRun: boolean;
  json: boolean;
  echo: boolean;
  verbose: boolean;
}

export const DEFAULT_AMOUNT = 10;
/** PutRecords requests in flight at once, unless told otherwise. */
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 64;

/** Every flag, its value's name and what it does: the parser and --help both come from this one table. */
const FLAGS = {
  amount: { type: 'string', value: 'N', help: `records to generate (default ${DEFAULT_AMOUNT}; with --input, the most to send)` },
  duration: { type: 'string', value: 'TIME', help: 'keep sending for this long, e.g. 30s, 5m (with --rate: a steady load)' },
  rate: { type: 'string', value: 'N', help: 'records per second, spread evenly (default: as fast as the stream takes them)' },
  seed: { type: 'string', value: 'N', help: 'reproducible records, uuids included (event_date is the send time, or --event-time-spread)' },
  'event-time-spread': {
    type: 'string',
    value: 'TIME',
    help: 'event_date spread evenly over the last TIME instead of the send time, e.g. 3h, 2d (up to 366d): late data',
  },
  input: { type: 'string', value: 'FILE|-', help: 'send records from an NDJSON file or stdin instead of generating them' },
  'on-invalid': { type: 'string', value: 'fail|skip', help: 'an invalid record stops the run (fail, default) or is counted and skipped' },
  'partition-key': { type: 'string', value: 'FIELD', help: 'the record field used as partition key (default uuid)' },
  concurrency: { type: 'string', value: 'N', help: `PutRecords requests in flight (default ${DEFAULT_CONCURRENCY})` },
  'retry-time': { type: 'string', value: 'TIME', help: `how long a record is retried before it is dead-lettered (default ${DEFAULT_RETRY.budgetMs / 1000}s)` },
  aggregate: { type: 'boolean', help: 'pack records into KPL aggregated records, per shard (consumers must de-aggregate: Firehose and the KCL do)' },
  'shard-records-per-second': {
    type: 'string',
    value: 'N',
    help: `records each shard takes per second (default ${AWS_SHARD_LIMITS.recordsPerSecond.toLocaleString('en-US')} on AWS and endpoints; the local lakehouse is not paced unless given)`,
  },
  'shard-bytes-per-second': {
    type: 'string',
    value: 'SIZE',
    help: 'bytes each shard takes per second: 1048576, 512KiB, 1MiB (default 1MiB on AWS and endpoints)',
  },
  target: { type: 'string', value: 'local|aws', help: 'the local lakehouse (default) or the deployed stack on AWS (AWS_PROFILE, AWS_REGION)' },
  endpoint: { type: 'string', value: 'URL', help: 'any Kinesis-compatible endpoint (LocalStack, kinesis-mock, kinesalite)' },
  stream: { type: 'string', value: 'NAME', help: "the stream (default: the environment's stream, or the deployed stack's)" },
  env: COMMON_FLAGS.env,
  'data-dir': { ...COMMON_FLAGS['data-dir'], help: 'the local lakehouse folder, the same as lake:up --data-dir (default .lakehouse at the repository root)' },
  'dead-letter': { type: 'string', value: 'FILE', help: 'where undeliverable records go (default <data-dir>/dead-letter/<stream>-<time>.ndjson)' },
  'dry-run': { type: 'boolean', help: 'print the records as NDJSON on stdout, send nothing' },
  json: { type: 'boolean', help: 'print the summary as JSON on stdout' },
  echo: { type: 'boolean', help: 'print each record on stdout once Kinesis accepts it' },
  verbose: COMMON_FLAGS.verbose,
  help: COMMON_FLAGS.help,
} as const satisfies Flags;

export function usage(): string {
  return [
    'Usage: lakehouse send [options]   (or: nx run producer:send [options])',
    '',
    'Generates fake event records (or reads NDJSON), validates each against libs/schema and sends them to Kinesis',
    'with PutRecords: to the local lakehouse by default, to any endpoint, or to the stack deployed on AWS.',
    'Stdout carries only data (--dry-run, --json, --echo); everything else goes to stderr.',
    '',
    flagHelp(FLAGS),
  ].join('\n');
}

const SIZE = /^(\d+)(KiB|MiB)?$/;
const SIZE_UNITS: Record<string, number> = { KiB: 1_024, MiB: 1_048_576 };

/** `1048576`, `512KiB`, `1MiB`: a whole number of bytes per second, at least 1 KiB. */
export function parseBytesPerSecond(flag: string, text: string): number {
  const match = SIZE.exec(text.trim());
  const bytes = match ? Number(match[1]) * (SIZE_UNITS[match[2] ?? ''] ?? 1) : 0;
  if (!(bytes >= 1_024 && Number.isSafeInteger(bytes)))
    throw usageError(`--${flag}: expected bytes per second from 1KiB, like 1048576, 512KiB or 1MiB, got "${text}"`);
  return bytes;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1.5h`, `500ms`; a bare number is seconds. */
export function parseDuration(flag: string, text: string): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1_000) : 0;
  if (!(ms > 0)) throw usageError(`--${flag}: expected a time like 30s, 5m, 1h or 500ms, got "${text}"`);
  return ms;
}

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];
const textOf = (values: Values) => (name: keyof typeof FLAGS) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

/** Where records come from and how many: --amount, --duration, --rate, --seed, --input, --on-invalid, --partition-key. */
function sourceSettings(text: ReturnType<typeof textOf>) {
  const input = text('input');
  const seedText = text('seed');
  if (input !== undefined && seedText !== undefined) throw usageError('--seed: applies to generated records, not to --input; remove one');
  const spreadText = text('event-time-spread');
  if (input !== undefined && spreadText !== undefined) {
    throw usageError('--event-time-spread: applies to generated records, not to --input (their event_date is sent as it is); remove one');
  }
  const amountText = text('amount');
  const durationText = text('duration');
  const rateText = text('rate');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) throw usageError(`--rate: expected records per second above 0, got "${rateText}"`);
  const onInvalid = text('on-invalid') ?? 'fail';
  if (onInvalid !== 'fail' && onInvalid !== 'skip') throw usageError(`--on-invalid: expected fail or skip, got "${onInvalid}"`);
  const fields = Object.keys(eventRecordSchema.shape);
  const partitionKey = text('partition-key') ?? 'uuid';
  if (!fields.includes(partitionKey)) throw usageError(`--partition-key: expected a record field (${fields.join(', ')}), got "${partitionKey}"`);
  const amount =
    amountText !== undefined ? wholeNumberFlag('amount', amountText, 1) : input === undefined && durationText === undefined ? DEFAULT_AMOUNT : undefined;
  return {
    ...(amount === undefined ? {} : { amount }),
    ...(durationText === undefined ? {} : { durationMs: parseDuration('duration', durationText) }),
    ...(rate === undefined ? {} : { rate }),
    ...(seedText === undefined ? {} : { seed: wholeNumberFlag('seed', seedText, 0, 2 ** 32 - 1) }),
    ...(spreadText === undefined ? {} : { eventTimeSpreadMs: parseEventTimeSpread('event-time-spread', spreadText) }),
    ...(input === undefined ? {} : { input }),
    onInvalid: onInvalid as OnInvalid,
    partitionKey: partitionKey as keyof EventRecord,
  };
}

/** Where records go: --target, --endpoint, --stream, --env, --data-dir, --dead-letter. */
function targetSettings(text: ReturnType<typeof textOf>) {
  const endpoint = text('endpoint');
  const target = text('target');
  if (target !== undefined && target !== 'local' && target !== 'aws') throw usageError(`--target: expected local or aws, got "${target}"`);
  if (endpoint !== undefined && target === 'aws') throw usageError('--endpoint and --target aws: choose one (--endpoint is for Kinesis-compatible servers)');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw usageError(`--endpoint: expected an http:// or https:// URL, got "${endpoint}"`);
  const stream = text('stream');
  if (stream !== undefined && !STREAM_NAME.test(stream)) throw usageError(`--stream: expected 1 to 128 letters, digits, _ . or -, got "${stream}"`);
  const environment = text('env') ?? DEFAULT_ENVIRONMENT;
  settingsOfEnvFlag(environment);
  const lakeDir = text('data-dir');
  const deadLetter = text('dead-letter');
  return {
    target: endpoint !== undefined ? ('endpoint' as const) : ((target ?? 'local') as 'local' | 'aws'),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(stream === undefined ? {} : { stream }),
    environment,
    ...(lakeDir === undefined ? {} : { lakeDir }),
    ...(deadLetter === undefined ? {} : { deadLetter }),
  };
}

/** How records go to the stream: --aggregate, --shard-records-per-second, --shard-bytes-per-second. */
function shardSettings(text: ReturnType<typeof textOf>, aggregate: boolean): Pick<SendSettings, 'aggregate' | 'shardLimits'> {
  const records = text('shard-records-per-second');
  const bytes = text('shard-bytes-per-second');
  const shardLimits: Partial<ShardLimits> = {
    ...(records === undefined ? {} : { recordsPerSecond: wholeNumberFlag('shard-records-per-second', records, 1) }),
    ...(bytes === undefined ? {} : { bytesPerSecond: parseBytesPerSecond('shard-bytes-per-second', bytes) }),
  };
  return { ...(aggregate ? { aggregate: true as const } : {}), ...(Object.keys(shardLimits).length > 0 ? { shardLimits } : {}) };
}

/** Parses and checks the command line; throws a usage error (exit 2) naming the flag and what it expects. */
export function parseSendArgs(argv: readonly string[]): SendSettings | 'help' {
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) return 'help';
  const text = textOf(values);
  const concurrency = text('concurrency');
  const retryTime = text('retry-time');
  return {
    ...sourceSettings(text),
    ...targetSettings(text),
    concurrency: concurrency === undefined ? DEFAULT_CONCURRENCY : wholeNumberFlag('concurrency', concurrency, 1, MAX_CONCURRENCY),
    retryBudgetMs: retryTime === undefined ? DEFAULT_RETRY.budgetMs : parseDuration('retry-time', retryTime),
    ...shardSettings(text, values.aggregate === true),
    dryRun: values['dry-run'] === true,
    json: values.json === true,
    echo: values.echo === true,
    verbose: values.verbose === true,
  };
}
