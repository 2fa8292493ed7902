import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { configFromEnv, ConfigError, SECURE_DEFAULTS, stackConfig, type BackendConfig } from './config';

const LOCAL: BackendConfig = { type: 'local', path: '/state/x.tfstate' };

describe('stackConfig', () => {
  it('starts a new environment from the secure defaults', () => {
    const qa = stackConfig('qa', LOCAL);
    expect(qa).toMatchObject({ ...SECURE_DEFAULTS, environment: 'qa', stackName: 'lakehouse-qa', backend: LOCAL });
    expect(qa.forceDestroy).toBe(false);
    expect(qa.lake.versioning).toBe(true);
  });

  it('starts an environment named like an Object.prototype key from the secure defaults too', () => {
    expect(stackConfig('constructor', LOCAL)).toMatchObject({ ...SECURE_DEFAULTS, stackName: 'lakehouse-constructor' });
  });

  it('relaxes dev for a disposable environment, and keeps prod’s data longer', () => {
    const dev = stackConfig('dev', LOCAL);
    const prod = stackConfig('prod', LOCAL);
    expect([dev.forceDestroy, prod.forceDestroy]).toEqual([true, false]);
    expect([dev.lake.versioning, prod.lake.versioning]).toEqual([false, true]);
    // Literals, as apps/infra/README.md documents them (every value is pinned on the synthesized JSON in lakehouse-stack.spec.ts).
    expect([dev.stream.retentionHours, prod.stream.retentionHours]).toEqual([24, 168]);
    expect([dev.logs.retentionDays, prod.logs.retentionDays]).toEqual([14, 90]);
    expect([dev.lake.errorOutputExpirationDays, prod.lake.errorOutputExpirationDays]).toEqual([14, 30]);
    expect([dev.kms.deletionWindowDays, prod.kms.deletionWindowDays]).toEqual([7, 30]);
  });

  it('partitions dev by event time and prod by arrival, retrying a partitioned delivery for an hour', () => {
    expect([stackConfig('dev', LOCAL).settings.partitioning, stackConfig('prod', LOCAL).settings.partitioning]).toEqual(['event-time', 'arrival']);
    expect(stackConfig('prod', LOCAL, { pipeline: { partitioning: 'event-time' } }).settings.partitioning).toBe('event-time');
    expect(stackConfig('dev', LOCAL).firehose.partitionedDeliveryRetrySeconds).toBe(3600);
  });

  it('carries the shared pipeline settings, with their overrides', () => {
    const dev = stackConfig('dev', LOCAL, { pipeline: { buffering: { sizeMiB: 64 } } });
    expect(dev.settings).toMatchObject({ streamName: 'lakehouse-dev-events', buffering: { sizeMiB: 64, intervalSeconds: 60 } });
  });

  it('merges overrides field by field, without touching the defaults', () => {
    const custom = stackConfig('prod', LOCAL, { lake: { athenaResultsExpirationDays: 1 }, alarms: { actions: ['arn:aws:sns:eu-west-1:1:a'] } });
    expect(custom.lake).toEqual({ ...SECURE_DEFAULTS.lake, athenaResultsExpirationDays: 1 });
    expect(custom.alarms.actions).toEqual(['arn:aws:sns:eu-west-1:1:a']);
    expect(SECURE_DEFAULTS.alarms.actions).toEqual([]);
    expect(stackConfig('prod', LOCAL).lake.athenaResultsExpirationDays).toBe(SECURE_DEFAULTS.lake.athenaResultsExpirationDays);
  });
});

describe('checkStackConfig: what AWS would refuse fails at synth, naming the field', () => {
  it.each([
    [{ region: 'Europe' }, 'region: expected an AWS region such as eu-west-1, got "Europe"'],
    [{ stream: { retentionHours: 12 } }, 'stream.retentionHours: expected an integer from 24 to 8760, got 12'],
    [{ kms: { deletionWindowDays: 3 } }, 'kms.deletionWindowDays: expected an integer from 7 to 30, got 3'],
    [{ lake: { errorOutputExpirationDays: 0 } }, 'lake.errorOutputExpirationDays: expected an integer from 1 to 3650, got 0'],
    [{ lake: { athenaResultsExpirationDays: 1.5 } }, 'lake.athenaResultsExpirationDays: expected an integer from 1 to 3650, got 1.5'],
    [{ logs: { retentionDays: 10 } }, "logs.retentionDays: expected one of CloudWatch's values (1, 3, 5, 7, 14, 30,"],
    [
      { athena: { bytesScannedCutoffPerQuery: 1000 } },
      'athena.bytesScannedCutoffPerQuery: expected an integer from 10000000 to 9007199254740991 (Athena’s minimum is 10 MB), got 1000',
    ],
    [{ alarms: { iteratorAgeMaxSeconds: 5 } }, 'alarms.iteratorAgeMaxSeconds: expected an integer from 60 to 604800, got 5'],
    [{ alarms: { actions: ['my-topic'] } }, 'alarms.actions[0]: expected an ARN (e.g. an SNS topic), got "my-topic"'],
    [{ pipeline: { buffering: { sizeMiB: 32 } } }, 'buffering.sizeMiB: expected an integer from 64 to 128'],
    [{ firehose: { partitionedDeliveryRetrySeconds: 7201 } }, 'firehose.partitionedDeliveryRetrySeconds: expected an integer from 0 to 7200, got 7201'],
    [{ pipeline: { buffering: { intervalSeconds: 0 } } }, 'buffering.intervalSeconds: expected at least 60 with event-time partitioning'],
  ] as const)('%j', (overrides, message) => {
    expect(() => stackConfig('dev', LOCAL, overrides as never)).toThrow(message);
  });

  it.each([
    [{ type: 'local', path: 'state/x.tfstate' }, 'backend.path: expected an absolute path (cdktf runs Terraform inside cdktf.out), got "state/x.tfstate"'],
    [
      { type: 's3', bucket: 'My_Bucket', key: 'k', region: 'eu-west-1', useLockfile: true, encrypt: true },
      'backend.bucket: expected an S3 bucket name, got "My_Bucket"',
    ],
    [
      { type: 's3', bucket: 'state', key: '/abs', region: 'eu-west-1', useLockfile: true, encrypt: true },
      'backend.key: expected a relative object key, got "/abs"',
    ],
    [
      { type: 's3', bucket: 'state', key: 'teams//x.tfstate', region: 'eu-west-1', useLockfile: true, encrypt: true },
      'backend.key: expected a relative object key, got "teams//x.tfstate" (no leading, trailing or double "/")',
    ],
    [
      { type: 's3', bucket: 'state', key: 'teams/', region: 'eu-west-1', useLockfile: true, encrypt: true },
      'backend.key: expected a relative object key, got "teams/" (no leading, trailing or double "/")',
    ],
    [
      { type: 's3', bucket: 'state', key: 'k', region: 'west', useLockfile: true, encrypt: true },
      'backend.region: expected an AWS region such as eu-west-1, got "west"',
    ],
  ] as const)('backend %j', (backend, message) => {
    expect(() => stackConfig('dev', backend, {})).toThrow(message);
  });

  it('throws a ConfigError', () => {
    expect(() => stackConfig('dev', LOCAL, { region: 'x' })).toThrow(ConfigError);
  });
});

describe('configFromEnv', () => {
  const stateDir = '/repo/apps/infra/.terraform-state';

  it('keeps local state in the default folder, one file per stack', () => {
    expect(configFromEnv('prod', {}, stateDir).backend).toEqual({ type: 'local', path: `${stateDir}/lakehouse-prod.tfstate` });
  });

  it('takes the state folder from LAKEHOUSE_STATE_DIR, relative to where cdktf runs', () => {
    expect(configFromEnv('dev', { LAKEHOUSE_STATE_DIR: 'tmp/state' }, stateDir).backend).toEqual({
      type: 'local',
      path: resolve('tmp/state', 'lakehouse-dev.tfstate'),
    });
  });

  it('uses an encrypted, lockfile-locked S3 backend when LAKEHOUSE_STATE_BUCKET is set', () => {
    const config = configFromEnv('dev', { LAKEHOUSE_STATE_BUCKET: 'acme-tf-state', LAKEHOUSE_REGION: 'us-east-2' }, stateDir);
    expect(config.region).toBe('us-east-2');
    expect(config.backend).toEqual({
      type: 's3',
      bucket: 'acme-tf-state',
      key: 'lakehouse/lakehouse-dev.tfstate',
      region: 'us-east-2',
      useLockfile: true,
      encrypt: true,
    });
  });

  it('names the state key prefix and region when asked', () => {
    const env = { LAKEHOUSE_STATE_BUCKET: 'acme-tf-state', LAKEHOUSE_STATE_REGION: 'eu-central-1', LAKEHOUSE_STATE_KEY_PREFIX: 'teams/data' };
    expect(configFromEnv('prod', env, stateDir).backend).toMatchObject({ key: 'teams/data/lakehouse-prod.tfstate', region: 'eu-central-1' });
  });

  it('takes a key prefix written as a folder (Terraform refuses "//" in a key)', () => {
    const env = { LAKEHOUSE_STATE_BUCKET: 'acme-tf-state', LAKEHOUSE_STATE_KEY_PREFIX: 'teams/data/' };
    expect(configFromEnv('dev', env, stateDir).backend).toMatchObject({ key: 'teams/data/lakehouse-dev.tfstate' });
  });

  it.each([
    [{}, false],
    [{ LAKEHOUSE_DUCKDB_WORKGROUP: '' }, false],
    [{ LAKEHOUSE_DUCKDB_WORKGROUP: 'false' }, false],
    [{ LAKEHOUSE_DUCKDB_WORKGROUP: 'true' }, true],
  ])('adds the DuckDB workgroup only when LAKEHOUSE_DUCKDB_WORKGROUP is true: %j', (env, on) => {
    expect(configFromEnv('dev', env, stateDir).athena.duckdbWorkgroup).toBe(on);
  });

  it('refuses a LAKEHOUSE_DUCKDB_WORKGROUP that is neither true nor false, naming it', () => {
    expect(() => configFromEnv('dev', { LAKEHOUSE_DUCKDB_WORKGROUP: 'yes' }, stateDir)).toThrow(
      new ConfigError('LAKEHOUSE_DUCKDB_WORKGROUP', 'expected true or false, got "yes"'),
    );
  });

  it('refuses a bad region from the environment with the field named', () => {
    expect(() => configFromEnv('dev', { LAKEHOUSE_REGION: 'mars' }, stateDir)).toThrow('region: expected an AWS region');
  });
});
