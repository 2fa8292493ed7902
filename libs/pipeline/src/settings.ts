import { hivePrefix, hiveTimePrefix, PARTITIONINGS, type Partitioning } from './partitions';

/** Firehose buffering hints. With format conversion AWS requires a size of at least 64 MiB. */
export interface BufferingHints {
  sizeMiB: number;
  intervalSeconds: number;
}

/** Kinesis capacity: a shard count, or on-demand. */
export type StreamCapacity = { mode: 'PROVISIONED'; shardCount: number } | { mode: 'ON_DEMAND' };

/** Settings one environment's pipeline shares across the AWS stack, the producer and the local lakehouse. */
export interface PipelineSettings {
  project: string;
  environment: string;
  streamName: string;
  deliveryStreamName: string;
  /** S3 bucket names are global: Terraform (`bucket_prefix`) appends a unique suffix to this prefix. */
  bucketNamePrefix: string;
  databaseName: string;
  tableName: string;
  workgroupName: string;
  /** Key prefixes in the bucket, each ending in `/`. */
  dataPrefix: string;
  errorPrefix: string;
  athenaResultsPrefix: string;
  /** What the time folders mean: the arrival hour, or each record's event_date hour (Firehose dynamic partitioning). */
  partitioning: Partitioning;
  /**
   * Firehose's S3 prefix and error output prefix, with their expressions. The error prefix keeps arrival-time
   * folders in both modes: AWS doesn't allow `!{partitionKeyFromQuery:…}` there (a record that failed the query has no keys).
   */
  firehosePrefix: string;
  errorOutputPrefix: string;
  /** Firehose's `file_extension`: objects end in `.parquet`, so any tool knows what they are. */
  fileExtension: string;
  buffering: BufferingHints;
  capacity: StreamCapacity;
}

/** What differs per environment; everything else follows from the project and environment names. */
export interface EnvironmentSettings {
  partitioning?: Partitioning;
  buffering?: Partial<BufferingHints>;
  capacity?: StreamCapacity;
}

export const PROJECT = 'lakehouse';
export const TABLE_NAME = 'events';

/** Firehose's largest buffering size hint, and its default with format conversion. */
export const MAX_BUFFER_SIZE_MIB = 128;
/** Firehose's defaults for format conversion: 128 MiB or 300 s, whichever comes first. */
export const DEFAULT_BUFFERING: BufferingHints = { sizeMiB: MAX_BUFFER_SIZE_MIB, intervalSeconds: 300 };
export const MIN_CONVERSION_BUFFER_MIB = 64;
export const MAX_BUFFER_INTERVAL_SECONDS = 900;
/**
 * Intervals under 60 s are Firehose's zero buffering, which "is not available for dynamic partitioning"
 * (Firehose developer guide, "Buffer data for dynamic partitioning").
 */
export const MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS = 60;

/**
 * Dev partitions by event time (what analysts ask for; a dev stack is cheap to replace, and the local lake runs dev).
 * Prod stays on arrival time: turning dynamic partitioning on replaces a deployed delivery stream, and the folders
 * already written would change meaning under the same table, so a prod switches deliberately (see the README).
 */
export const ENVIRONMENTS = {
  dev: { capacity: { mode: 'PROVISIONED', shardCount: 2 }, buffering: { intervalSeconds: 60 }, partitioning: 'event-time' },
  prod: { capacity: { mode: 'ON_DEMAND' }, partitioning: 'arrival' },
} as const satisfies Record<string, EnvironmentSettings>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;
export const DEFAULT_ENVIRONMENT: EnvironmentName = 'dev';

const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{1,15}$/;

/** A setting AWS would refuse: which one, and why, kept apart so a CLI can name its own flag instead. */
export class SettingsError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SettingsError';
  }
}

export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.hasOwn(ENVIRONMENTS, name);
}

/** Checks the settings AWS would refuse at deploy time, so they fail at synth (and locally) instead. */
export function checkSettings(settings: PipelineSettings): PipelineSettings {
  const { buffering, capacity } = settings;
  if (!ENVIRONMENT_NAME.test(settings.environment)) {
    throw new SettingsError('environment', `expected 2 to 16 lower-case letters or digits starting with a letter, got "${settings.environment}"`);
  }
  if (!Number.isInteger(buffering.sizeMiB) || buffering.sizeMiB < MIN_CONVERSION_BUFFER_MIB || buffering.sizeMiB > MAX_BUFFER_SIZE_MIB) {
    throw new SettingsError(
      'buffering.sizeMiB',
      `expected an integer from ${MIN_CONVERSION_BUFFER_MIB} to ${MAX_BUFFER_SIZE_MIB} (Parquet conversion needs at least ${MIN_CONVERSION_BUFFER_MIB}), got ${buffering.sizeMiB}`,
    );
  }
  if (!Number.isInteger(buffering.intervalSeconds) || buffering.intervalSeconds < 0 || buffering.intervalSeconds > MAX_BUFFER_INTERVAL_SECONDS) {
    throw new SettingsError('buffering.intervalSeconds', `expected an integer from 0 to ${MAX_BUFFER_INTERVAL_SECONDS}, got ${buffering.intervalSeconds}`);
  }
  if (!PARTITIONINGS.includes(settings.partitioning)) {
    throw new SettingsError('partitioning', `expected one of ${PARTITIONINGS.join(', ')}, got ${JSON.stringify(settings.partitioning)}`);
  }
  if (settings.partitioning === 'event-time' && buffering.intervalSeconds < MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS) {
    throw new SettingsError(
      'buffering.intervalSeconds',
      `expected at least ${MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS} with event-time partitioning (Firehose has no zero buffering with dynamic partitioning), got ${buffering.intervalSeconds}`,
    );
  }
  if (capacity.mode === 'PROVISIONED' && (!Number.isInteger(capacity.shardCount) || capacity.shardCount < 1)) {
    throw new SettingsError('capacity.shardCount', `expected a positive integer, got ${capacity.shardCount}`);
  }
  return settings;
}

/** The whole pipeline's settings for one environment. */
export function pipelineSettings(environment: string = DEFAULT_ENVIRONMENT, overrides: EnvironmentSettings = {}): PipelineSettings {
  const base: EnvironmentSettings = isEnvironmentName(environment) ? ENVIRONMENTS[environment] : {};
  const name = `${PROJECT}-${environment}`;
  const dataPrefix = `${TABLE_NAME}/`;
  const errorPrefix = 'errors/';
  const partitioning = overrides.partitioning ?? base.partitioning ?? 'arrival';
  return checkSettings({
    project: PROJECT,
    environment,
    streamName: `${name}-events`,
    deliveryStreamName: `${name}-events-to-s3`,
    bucketNamePrefix: `${name}-lake-`,
    // Glue database names: lower case and underscores only (Athena reads hyphens as minus).
    databaseName: `${PROJECT}_${environment}`,
    tableName: TABLE_NAME,
    workgroupName: `${name}`,
    dataPrefix,
    errorPrefix,
    athenaResultsPrefix: 'athena-results/',
    partitioning,
    firehosePrefix: `${dataPrefix}${hivePrefix(partitioning)}`,
    errorOutputPrefix: `${errorPrefix}!{firehose:error-output-type}/${hiveTimePrefix()}`,
    fileExtension: '.parquet',
    buffering: { ...DEFAULT_BUFFERING, ...base.buffering, ...overrides.buffering },
    capacity: overrides.capacity ?? base.capacity ?? { mode: 'ON_DEMAND' },
  });
}

/** How many shards a local stream gets: the provisioned count, or 4 for on-demand (what AWS starts those with). */
export function shardCountOf(capacity: StreamCapacity): number {
  return capacity.mode === 'PROVISIONED' ? capacity.shardCount : 4;
}
