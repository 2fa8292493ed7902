import { compileTimestampPattern } from './timestamp-pattern';

/** What `!{firehose:error-output-type}` evaluates to, by the reason records failed. */
export const ERROR_OUTPUT_TYPES = [
  'processing-failed',
  'AmazonOpenSearchService-failed',
  'splunk-failed',
  'format-conversion-failed',
  'http-endpoint-failed',
  // Dynamic partitioning: the MetadataExtraction query failed or yielded no usable key (AWS CDK's integration test
  // reads these from `…/partitioning-failed/`), and records past the active-partition limit (AWS's buffering page).
  'partitioning-failed',
  'activePartitionExceeded',
] as const;
export type ErrorOutputType = (typeof ERROR_OUTPUT_TYPES)[number];

/** Firehose's default time folders when a prefix has no timestamp expression. */
export const DEFAULT_TIME_PATTERN = 'yyyy/MM/dd/HH/';
const formatDefaultTime = compileTimestampPattern(DEFAULT_TIME_PATTERN);

/** Length of `!{firehose:random-string}`'s value. */
export const RANDOM_STRING_LENGTH = 11;
const RANDOM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Evaluated prefixes longer than this are refused by Firehose. */
export const MAX_EVALUATED_PREFIX_LENGTH = 512;

export class PrefixError extends Error {
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'PrefixError';
  }
}

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'timestamp'; format: (epochMillis: number) => string }
  | { kind: 'random-string' }
  | { kind: 'error-output-type' }
  | { kind: 'partition-key'; key: string };

/** A prefix parsed once, evaluated per object. */
export interface CompiledPrefix {
  readonly source: string;
  readonly segments: readonly Segment[];
  readonly hasExpressions: boolean;
  readonly hasTimestamp: boolean;
  readonly hasErrorOutputType: boolean;
  /** The keys `!{partitionKeyFromQuery:…}` names, in order of first use. */
  readonly partitionKeys: readonly string[];
}

/** Whether the delivery stream uses dynamic partitioning (Firehose's DynamicPartitioningConfiguration). */
export interface DynamicPartitioning {
  enabled: boolean;
}

const EXPRESSION = /!\{([^:}]*):([^}]*)\}/g;

/** Parses `!{namespace:value}` expressions; anything Firehose would refuse at create time throws, naming the field. */
export function compilePrefix(prefix: string, field = 'prefix', dynamic: DynamicPartitioning = { enabled: false }): CompiledPrefix {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of prefix.matchAll(EXPRESSION)) {
    const [expression, namespace = '', value = ''] = match;
    if (match.index > last) segments.push({ kind: 'text', text: prefix.slice(last, match.index) });
    last = match.index + expression.length;
    if (namespace === 'timestamp') {
      segments.push({ kind: 'timestamp', format: compileTimestampPattern(value) });
    } else if (namespace === 'firehose' && value === 'random-string') {
      segments.push({ kind: 'random-string' });
    } else if (namespace === 'firehose' && value === 'error-output-type') {
      segments.push({ kind: 'error-output-type' });
    } else if (namespace === 'partitionKeyFromQuery' && dynamic.enabled) {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new PrefixError(field, `${expression}: a partition key name is letters, digits, "_" or "-"`);
      segments.push({ kind: 'partition-key', key: value });
    } else if (namespace === 'partitionKeyFromQuery') {
      throw new PrefixError(field, `${expression} needs dynamic partitioning enabled`);
    } else if (namespace === 'partitionKeyFromLambda') {
      throw new PrefixError(field, `${expression} needs a Lambda processor, which the local delivery doesn't run`);
    } else {
      throw new PrefixError(field, `${expression} is not a Firehose expression (namespaces: timestamp, firehose)`);
    }
  }
  const tail = prefix.slice(last);
  if (tail.includes('!{')) throw new PrefixError(field, '"!{" may only start a !{namespace:value} expression');
  if (tail) segments.push({ kind: 'text', text: tail });
  return {
    source: prefix,
    segments,
    hasExpressions: segments.some((s) => s.kind !== 'text'),
    hasTimestamp: segments.some((s) => s.kind === 'timestamp'),
    hasErrorOutputType: segments.some((s) => s.kind === 'error-output-type'),
    partitionKeys: [...new Set(segments.flatMap((s) => (s.kind === 'partition-key' ? [s.key] : [])))],
  };
}

/**
 * The documented rules Firehose checks when the destination is created:
 * the data prefix can't name an error output type; an error prefix is required once the data prefix
 * has expressions, and then it must contain `!{firehose:error-output-type}`.
 */
export function checkPrefixes(
  prefix: string,
  errorOutputPrefix: string | undefined,
  dynamic: DynamicPartitioning = { enabled: false },
): { prefix: CompiledPrefix; errorOutputPrefix: CompiledPrefix | undefined } {
  const data = compilePrefix(prefix, 'prefix', dynamic);
  if (data.hasErrorOutputType) throw new PrefixError('prefix', '!{firehose:error-output-type} may only be used in the error output prefix');
  // With dynamic partitioning the prefix must say where each partition goes, and failed records need a place.
  if (dynamic.enabled && data.partitionKeys.length === 0) {
    throw new PrefixError('prefix', 'with dynamic partitioning enabled, the prefix must use !{partitionKeyFromQuery:…}');
  }
  if (errorOutputPrefix === undefined || errorOutputPrefix === '') {
    if (dynamic.enabled) throw new PrefixError('errorOutputPrefix', 'is required when dynamic partitioning is enabled');
    if (data.hasExpressions) throw new PrefixError('errorOutputPrefix', 'is required when the prefix uses expressions');
    return { prefix: data, errorOutputPrefix: undefined };
  }
  const errors = compilePrefix(errorOutputPrefix, 'errorOutputPrefix');
  if (errors.hasExpressions && !errors.hasErrorOutputType) {
    throw new PrefixError('errorOutputPrefix', 'must contain !{firehose:error-output-type} when it uses expressions');
  }
  return { prefix: data, errorOutputPrefix: errors };
}

/** 11 characters from [A-Za-z0-9]; `randomByte` returns 0-255 (injectable for tests). */
export function randomString(randomByte: () => number = defaultRandomByte): string {
  let out = '';
  while (out.length < RANDOM_STRING_LENGTH) {
    const byte = randomByte();
    // Rejection sampling keeps every character equally likely (248 = 4 × 62).
    if (byte < 248) out += RANDOM_ALPHABET.charAt(byte % RANDOM_ALPHABET.length);
  }
  return out;
}

function defaultRandomByte(): number {
  return crypto.getRandomValues(new Uint8Array(1))[0] ?? 0;
}

export interface PrefixContext {
  /** Approximate arrival time (epoch ms) of the oldest record in the object. */
  arrivalMillis: number;
  /** Required for error prefixes. */
  errorOutputType?: ErrorOutputType;
  /** The object's partition keys (dynamic partitioning): every key the prefix names. */
  partitionKeys?: Readonly<Record<string, string>>;
  randomByte?: () => number;
}

/**
 * Evaluates a prefix as Firehose does: every `!{timestamp:…}` formats the same instant (the oldest record's
 * approximate arrival, UTC), each `!{firehose:random-string}` is a fresh random string, and a prefix with no
 * timestamp expression gets the default `yyyy/MM/dd/HH/` appended.
 */
export function evaluatePrefix(prefix: CompiledPrefix, context: PrefixContext): string {
  let out = '';
  for (const segment of prefix.segments) {
    switch (segment.kind) {
      case 'text':
        out += segment.text;
        break;
      case 'timestamp':
        out += segment.format(context.arrivalMillis);
        break;
      case 'random-string':
        out += randomString(context.randomByte);
        break;
      case 'error-output-type':
        if (!context.errorOutputType) throw new PrefixError(prefix.source, '!{firehose:error-output-type} needs an error output type');
        out += context.errorOutputType;
        break;
      case 'partition-key': {
        const value = context.partitionKeys?.[segment.key];
        if (value === undefined) throw new PrefixError(prefix.source, `!{partitionKeyFromQuery:${segment.key}} has no value`);
        out += value;
        break;
      }
    }
  }
  // A prefix of partition keys says where objects go on its own: Firehose adds no time folders to it.
  if (!prefix.hasTimestamp && prefix.partitionKeys.length === 0) out += formatDefaultTime(context.arrivalMillis);
  if (out.length > MAX_EVALUATED_PREFIX_LENGTH) {
    throw new PrefixError(prefix.source, `evaluates to ${out.length} characters; Firehose allows ${MAX_EVALUATED_PREFIX_LENGTH}`);
  }
  return out;
}
