import { parseArgs } from 'node:util';
import { DEFAULT_ENVIRONMENT, pipelineSettings } from '@lakehouse/pipeline';
import { eventRecordSchema, type EventRecord } from '@lakehouse/schema';
import { DEFAULT_RETRY } from './backoff';
import { DEFAULT_CONCURRENCY } from './batching';
import { EXIT, ProducerError } from './errors';
import type { OnInvalid } from './prepare';

/** What `producer:send` was asked to do, checked. */
export interface SendSettings {
  /** Records to send; undefined means no limit (--duration, or all of --input). */
  amount?: number;
  durationMs?: number;
  /** Records per second, spread evenly. */
  rate?: number;
  seed?: number;
  /** An NDJSON file, or `-` for stdin. */
  input?: string;
  onInvalid: OnInvalid;
  partitionKey: keyof EventRecord;
  concurrency: number;
  retryBudgetMs: number;
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
export const MAX_CONCURRENCY = 64;

/** Every flag, its value's name and what it does: parseArgs' config and --help come from this one table. */
const FLAGS = {
  amount: { type: 'string', value: 'N', help: `records to generate (default ${DEFAULT_AMOUNT}; with --input, the most to send)` },
  duration: { type: 'string', value: 'TIME', help: 'keep sending for this long, e.g. 30s, 5m (with --rate: a steady load)' },
  rate: { type: 'string', value: 'N', help: 'records per second, spread evenly (default: as fast as the stream takes them)' },
  seed: { type: 'string', value: 'N', help: 'reproducible records, uuids included (event_date is always the send time)' },
  input: { type: 'string', value: 'FILE|-', help: 'send records from an NDJSON file or stdin instead of generating them' },
  'on-invalid': { type: 'string', value: 'fail|skip', help: 'an invalid record stops the run (fail, default) or is counted and skipped' },
  'partition-key': { type: 'string', value: 'FIELD', help: 'the record field used as partition key (default uuid)' },
  concurrency: { type: 'string', value: 'N', help: `PutRecords requests in flight (default ${DEFAULT_CONCURRENCY})` },
  'retry-time': { type: 'string', value: 'TIME', help: `how long a record is retried before it is dead-lettered (default ${DEFAULT_RETRY.budgetMs / 1000}s)` },
  target: { type: 'string', value: 'local|aws', help: 'the local lakehouse (default) or the deployed stack on AWS (AWS_PROFILE, AWS_REGION)' },
  endpoint: { type: 'string', value: 'URL', help: 'any Kinesis-compatible endpoint (LocalStack, kinesis-mock, kinesalite)' },
  stream: { type: 'string', value: 'NAME', help: 'the stream (default: the environment\'s stream, or the deployed stack\'s)' },
  env: { type: 'string', value: 'NAME', help: `the pipeline environment (default ${DEFAULT_ENVIRONMENT})` },
  'data-dir': { type: 'string', value: 'DIR', help: 'the local lakehouse folder, the same as lake:up --data-dir (default .lakehouse at the repository root)' },
  'dead-letter': { type: 'string', value: 'FILE', help: 'where undeliverable records go (default <data-dir>/dead-letter/<stream>-<time>.ndjson)' },
  'dry-run': { type: 'boolean', help: 'print the records as NDJSON on stdout, send nothing' },
  json: { type: 'boolean', help: 'print the summary as JSON on stdout' },
  echo: { type: 'boolean', help: 'print each record on stdout once Kinesis accepts it' },
  verbose: { type: 'boolean', help: 'print the stack of an unexpected error' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; value?: string; help: string }>;

export function usage(): string {
  const rows = Object.entries(FLAGS).map(([name, flag]) => [`--${name}${'value' in flag ? ` ${flag.value}` : ''}`, flag.help] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    'Usage: nx run producer:send [options]   (or: node --import tsx apps/producer/src/cli.ts [options])',
    '',
    'Generates fake event records (or reads NDJSON), validates each against libs/schema and sends them to Kinesis',
    'with PutRecords: to the local lakehouse by default, to any endpoint, or to the stack deployed on AWS.',
    '',
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`),
  ].join('\n');
}

const usageError = (message: string) => new ProducerError(message, EXIT.usage);

function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw usageError(`--${flag}: expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `from ${min} up` : `from ${min} to ${max}`}, got "${text}"`);
  }
  return value;
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

/** The flag parseArgs complained about, and what to do, in one line. */
function argumentError(error: unknown): ProducerError {
  const { code, message } = error as { code?: string; message: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'arguments';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`${flag}: unknown option; see --help`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return usageError(message.includes('does not take') ? `${flag}: takes no value` : `${flag}: needs a value; see --help`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return usageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}: options start with --; see --help`);
    default:
      return usageError(message);
  }
}

/** Parses and checks the command line; throws a ProducerError (exit 2) naming the flag and what it expects. */
export function parseSendArgs(argv: readonly string[]): SendSettings | 'help' {
  let values: Partial<Record<keyof typeof FLAGS, string | boolean>>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw argumentError(error);
  }
  const text = (name: keyof typeof FLAGS) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const flag = (name: keyof typeof FLAGS) => values[name] === true;
  if (flag('help')) return 'help';

  const input = text('input');
  const amountText = text('amount');
  const durationText = text('duration');
  const seedText = text('seed');
  if (input !== undefined && seedText !== undefined) throw usageError('--seed: applies to generated records, not to --input; remove one');
  const endpoint = text('endpoint');
  const targetText = text('target');
  if (targetText !== undefined && targetText !== 'local' && targetText !== 'aws') throw usageError(`--target: expected local or aws, got "${targetText}"`);
  if (endpoint !== undefined && targetText === 'aws') throw usageError('--endpoint and --target aws: choose one (--endpoint is for Kinesis-compatible servers)');
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) throw usageError(`--endpoint: expected an http:// or https:// URL, got "${endpoint}"`);

  const onInvalid = text('on-invalid') ?? 'fail';
  if (onInvalid !== 'fail' && onInvalid !== 'skip') throw usageError(`--on-invalid: expected fail or skip, got "${onInvalid}"`);
  const fields = Object.keys(eventRecordSchema.shape);
  const partitionKey = text('partition-key') ?? 'uuid';
  if (!fields.includes(partitionKey)) throw usageError(`--partition-key: expected a record field (${fields.join(', ')}), got "${partitionKey}"`);
  const stream = text('stream');
  if (stream !== undefined && !STREAM_NAME.test(stream)) throw usageError(`--stream: expected 1 to 128 letters, digits, _ . or -, got "${stream}"`);
  const environment = text('env') ?? DEFAULT_ENVIRONMENT;
  try {
    pipelineSettings(environment);
  } catch (error) {
    throw usageError(`--env: ${(error as Error).message.replace(/^environment: /, '')}`);
  }
  const rateText = text('rate');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) throw usageError(`--rate: expected records per second above 0, got "${rateText}"`);
  const retryText = text('retry-time');
  const concurrencyText = text('concurrency');

  const amount = amountText !== undefined ? wholeNumber('amount', amountText, 1) : input === undefined && durationText === undefined ? DEFAULT_AMOUNT : undefined;
  return {
    ...(amount === undefined ? {} : { amount }),
    ...(durationText === undefined ? {} : { durationMs: parseDuration('duration', durationText) }),
    ...(rate === undefined ? {} : { rate }),
    ...(seedText === undefined ? {} : { seed: wholeNumber('seed', seedText, 0, 2 ** 32 - 1) }),
    ...(input === undefined ? {} : { input }),
    onInvalid,
    partitionKey: partitionKey as keyof EventRecord,
    concurrency: concurrencyText === undefined ? DEFAULT_CONCURRENCY : wholeNumber('concurrency', concurrencyText, 1, MAX_CONCURRENCY),
    retryBudgetMs: retryText === undefined ? DEFAULT_RETRY.budgetMs : parseDuration('retry-time', retryText),
    target: endpoint !== undefined ? 'endpoint' : (targetText ?? 'local'),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(stream === undefined ? {} : { stream }),
    environment,
    ...(text('data-dir') === undefined ? {} : { lakeDir: text('data-dir') }),
    ...(text('dead-letter') === undefined ? {} : { deadLetter: text('dead-letter') }),
    dryRun: flag('dry-run'),
    json: flag('json'),
    echo: flag('echo'),
    verbose: flag('verbose'),
  };
}
