import { isAbsolute, join, resolve } from 'node:path';
import { pipelineSettings, stackName, type EnvironmentSettings, type PipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';

/** Where Terraform keeps the stack's state. */
export type BackendConfig =
  | {
      type: 'local';
      /** Absolute path of the state file (cdktf runs Terraform inside cdktf.out, so a relative path would move with it). */
      path: string;
    }
  | {
      type: 's3';
      bucket: string;
      /** Object key of the state file; one per stack. */
      key: string;
      region: string;
      /** Locking with a lock object next to the state (Terraform >= 1.10), no DynamoDB table. */
      useLockfile: true;
      encrypt: true;
    };

/** One environment's stack: the shared pipeline settings plus what only the AWS deployment needs. */
export interface StackConfig {
  environment: string;
  stackName: string;
  region: string;
  settings: PipelineSettings;
  stream: {
    /** Kinesis retention: 24 to 8760 hours. */
    retentionHours: number;
  };
  kms: {
    /** Days a deleted key waits before it is gone (7 to 30): the window to undo a mistaken destroy. */
    deletionWindowDays: number;
  };
  /**
   * Lets `cdktf destroy` delete the bucket with its objects and the workgroup with its saved queries.
   * Off by default: a destroy then fails instead of deleting data.
   */
  forceDestroy: boolean;
  lake: {
    /** Object versioning: a deleted or overwritten object stays recoverable for `noncurrentVersionExpirationDays`. */
    versioning: boolean;
    noncurrentVersionExpirationDays: number;
    /** Firehose's error output (records that failed conversion) and Athena's results are expired after these days. */
    errorOutputExpirationDays: number;
    athenaResultsExpirationDays: number;
    abortIncompleteUploadDays: number;
  };
  logs: {
    /** CloudWatch Logs retention for Firehose's delivery log (one of CloudWatch's allowed values). */
    retentionDays: number;
  };
  firehose: {
    /**
     * With event-time partitioning: how long Firehose retries a failed S3 delivery before it writes the records under
     * the error prefix instead (0 to 7200 s; AWS's default is 300).
     */
    partitionedDeliveryRetrySeconds: number;
  };
  athena: {
    /** Athena cancels a query of this workgroup that would scan more (at least 10 MB). */
    bytesScannedCutoffPerQuery: number;
    /**
     * A second workgroup, `<workgroup>-duckdb`, on Athena's DuckDB engine (a preview since December 2026), so
     * `lake:query --target aws --dialect duckdb` runs the same DuckDB SQL as the local lake. Off by default: a
     * preview, and creating it makes Athena create its service-linked role (see apps/infra/README.md).
     */
    duckdbWorkgroup: boolean;
  };
  alarms: {
    /** Records older than this in the stream mean Firehose is falling behind. */
    iteratorAgeMaxSeconds: number;
    /** Data freshness may exceed the buffering interval by this much before the alarm fires. */
    dataFreshnessMarginSeconds: number;
    /** SNS topic ARNs (or other alarm actions) notified on ALARM and OK; none by default. */
    actions: readonly string[];
  };
  backend: BackendConfig;
}

/** What config data sets: everything but the names and the state backend. */
type TunableConfig = Omit<StackConfig, 'environment' | 'stackName' | 'settings' | 'backend'>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What the caller (main.ts, tests) may override per environment. */
export type StackConfigOverrides = DeepPartial<TunableConfig> & {
  /** Overrides of the shared pipeline settings (buffering, capacity). */
  pipeline?: EnvironmentSettings;
};

const GIB = 1024 ** 3;

/** The values every environment starts from: the safe choice everywhere. */
export const SECURE_DEFAULTS = {
  region: 'eu-west-1',
  stream: { retentionHours: 24 },
  kms: { deletionWindowDays: 30 },
  forceDestroy: false,
  lake: {
    versioning: true,
    noncurrentVersionExpirationDays: 30,
    errorOutputExpirationDays: 30,
    athenaResultsExpirationDays: 7,
    abortIncompleteUploadDays: 1,
  },
  logs: { retentionDays: 30 },
  // An hour: the data-freshness alarm (buffering interval × 1.5 + 10 min) fires well before records are diverted to
  // errors/, so an operator can fix a KMS or bucket-policy mistake while the data still lands in its folders.
  firehose: { partitionedDeliveryRetrySeconds: 3600 },
  athena: { bytesScannedCutoffPerQuery: GIB, duckdbWorkgroup: false },
  alarms: { iteratorAgeMaxSeconds: 600, dataFreshnessMarginSeconds: 600, actions: [] },
} as const satisfies DeepPartial<TunableConfig>;

/** What each known environment changes: dev is cheap and disposable, prod keeps data longer. */
export const ENVIRONMENT_DEFAULTS: Readonly<Record<string, DeepPartial<TunableConfig>>> = {
  dev: {
    kms: { deletionWindowDays: 7 },
    forceDestroy: true,
    lake: { versioning: false, errorOutputExpirationDays: 14, athenaResultsExpirationDays: 3 },
    logs: { retentionDays: 14 },
    alarms: { iteratorAgeMaxSeconds: 1800 },
  },
  prod: {
    stream: { retentionHours: 168 },
    logs: { retentionDays: 90 },
    athena: { bytesScannedCutoffPerQuery: 10 * GIB },
  },
};

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A setting that can't be deployed: one line naming it, a usage error (exit 2) when it ends a command. */
export class ConfigError extends LakehouseError {
  constructor(field: string, reason: string) {
    super('usage', `${field}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** The default state file of a stack when no S3 backend is configured. */
export function localStatePath(stateDir: string, stack: string): string {
  return join(stateDir, `${stack}.tfstate`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges plain objects key by key; arrays and scalars replace. */
function merge<T>(base: T, ...layers: unknown[]): T {
  let result: unknown = base;
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (isPlainObject(result) && isPlainObject(layer)) {
      const next: Record<string, unknown> = { ...result };
      for (const [key, value] of Object.entries(layer)) next[key] = value === undefined ? next[key] : merge(next[key], value);
      result = next;
    } else {
      result = layer;
    }
  }
  return result as T;
}

function checkInteger(field: string, value: number, min: number, max: number, why = ''): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `expected an integer from ${min} to ${max}${why}, got ${value}`);
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ATHENA_MIN_CUTOFF = 10_000_000;

/** Checks what AWS would refuse at deploy time (or what would be unsafe), naming the field. */
export function checkStackConfig(config: StackConfig): StackConfig {
  const { stream, kms, lake, logs, athena, alarms, backend } = config;
  if (!REGION.test(config.region)) {
    throw new ConfigError('region', `expected an AWS region such as eu-west-1, got "${config.region}"`);
  }
  checkInteger('stream.retentionHours', stream.retentionHours, 24, 8760);
  checkInteger('kms.deletionWindowDays', kms.deletionWindowDays, 7, 30);
  checkInteger('lake.noncurrentVersionExpirationDays', lake.noncurrentVersionExpirationDays, 1, 3650);
  checkInteger('lake.errorOutputExpirationDays', lake.errorOutputExpirationDays, 1, 3650);
  checkInteger('lake.athenaResultsExpirationDays', lake.athenaResultsExpirationDays, 1, 3650);
  checkInteger('lake.abortIncompleteUploadDays', lake.abortIncompleteUploadDays, 1, 365);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logs.retentionDays)) {
    throw new ConfigError('logs.retentionDays', `expected one of CloudWatch's values (${LOG_RETENTION_DAYS.join(', ')}), got ${logs.retentionDays}`);
  }
  checkInteger('firehose.partitionedDeliveryRetrySeconds', config.firehose.partitionedDeliveryRetrySeconds, 0, 7200);
  checkInteger(
    'athena.bytesScannedCutoffPerQuery',
    athena.bytesScannedCutoffPerQuery,
    ATHENA_MIN_CUTOFF,
    Number.MAX_SAFE_INTEGER,
    ' (Athena’s minimum is 10 MB)',
  );
  checkInteger('alarms.iteratorAgeMaxSeconds', alarms.iteratorAgeMaxSeconds, 60, 7 * 24 * 3600);
  checkInteger('alarms.dataFreshnessMarginSeconds', alarms.dataFreshnessMarginSeconds, 60, 24 * 3600);
  for (const [i, action] of alarms.actions.entries()) {
    if (!action.startsWith('arn:')) throw new ConfigError(`alarms.actions[${i}]`, `expected an ARN (e.g. an SNS topic), got "${action}"`);
  }
  if (backend.type === 'local' && !isAbsolute(backend.path)) {
    throw new ConfigError('backend.path', `expected an absolute path (cdktf runs Terraform inside cdktf.out), got "${backend.path}"`);
  }
  if (backend.type === 's3') {
    if (!BUCKET_NAME.test(backend.bucket)) throw new ConfigError('backend.bucket', `expected an S3 bucket name, got "${backend.bucket}"`);
    if (!REGION.test(backend.region)) throw new ConfigError('backend.region', `expected an AWS region such as eu-west-1, got "${backend.region}"`);
    // Terraform's S3 backend refuses these at init, after synth has succeeded.
    if (backend.key === '' || backend.key.startsWith('/') || backend.key.endsWith('/') || backend.key.includes('//')) {
      throw new ConfigError('backend.key', `expected a relative object key, got "${backend.key}" (no leading, trailing or double "/")`);
    }
  }
  return config;
}

/**
 * One environment's stack config: secure defaults, then the environment's defaults, then the caller's overrides.
 * `backend` has no default on purpose: the caller decides where state lives.
 */
export function stackConfig(environment: string, backend: BackendConfig, overrides: StackConfigOverrides = {}): StackConfig {
  const { pipeline, ...rest } = overrides;
  // Own keys only: an environment named "constructor" must not pick up Object.prototype's.
  const environmentDefaults = Object.hasOwn(ENVIRONMENT_DEFAULTS, environment) ? ENVIRONMENT_DEFAULTS[environment] : undefined;
  // One copy of the result: it shares no object or array with the defaults or the caller's overrides.
  const merged = structuredClone(merge(SECURE_DEFAULTS as unknown as TunableConfig, environmentDefaults, rest));
  return checkStackConfig({
    ...merged,
    environment,
    stackName: stackName(environment),
    settings: pipelineSettings(environment, pipeline),
    backend,
  });
}

/** The variables main.ts reads, each documented in apps/infra/README.md. */
export interface InfraEnv {
  LAKEHOUSE_REGION?: string;
  LAKEHOUSE_STATE_DIR?: string;
  LAKEHOUSE_STATE_BUCKET?: string;
  LAKEHOUSE_STATE_REGION?: string;
  LAKEHOUSE_STATE_KEY_PREFIX?: string;
  /** `true` adds the DuckDB workgroup (athena.duckdbWorkgroup) to every stack. */
  LAKEHOUSE_DUCKDB_WORKGROUP?: string;
}

/** A yes/no variable: unset or empty is no; anything but true/false is a one-line error naming it. */
function flagFromEnv(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(name, `expected true or false, got "${value}"`);
}

/**
 * The backend and overrides an environment gets from the process environment: an S3 backend when
 * LAKEHOUSE_STATE_BUCKET is set, else a local state file under LAKEHOUSE_STATE_DIR (or `defaultStateDir`).
 */
export function configFromEnv(environment: string, env: InfraEnv, defaultStateDir: string): StackConfig {
  const stack = stackName(environment);
  const region = env.LAKEHOUSE_REGION || SECURE_DEFAULTS.region;
  const backend: BackendConfig = env.LAKEHOUSE_STATE_BUCKET
    ? {
        type: 's3',
        bucket: env.LAKEHOUSE_STATE_BUCKET,
        // A prefix written as a folder ("teams/data/") must not make a "//" in the key.
        key: `${(env.LAKEHOUSE_STATE_KEY_PREFIX || 'lakehouse').replace(/\/+$/, '')}/${stack}.tfstate`,
        region: env.LAKEHOUSE_STATE_REGION || region,
        useLockfile: true,
        encrypt: true,
      }
    : { type: 'local', path: localStatePath(resolve(env.LAKEHOUSE_STATE_DIR || defaultStateDir), stack) };
  const duckdbWorkgroup = flagFromEnv('LAKEHOUSE_DUCKDB_WORKGROUP', env.LAKEHOUSE_DUCKDB_WORKGROUP);
  return stackConfig(environment, backend, { region, ...(duckdbWorkgroup === undefined ? {} : { athena: { duckdbWorkgroup } }) });
}
