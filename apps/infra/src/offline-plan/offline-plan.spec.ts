/**
 * The real thing: every environment synthesized through cdktf.json's app command, then terraform
 * init (offline mirror), validate, plan with dummy credentials, and the policy rules over the plan JSON.
 * Where this machine has no terraform or no mirror, the plan tests fail in one line saying which (npm test needs
 * both; the README says how to get them): never skipped, never passed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENTS, partitionKeyQuery, pipelineSettings, stackName } from '@lakehouse/pipeline';
import type { ResourceChange, TerraformPlan } from '../policies/plan';
import { checkPlan, formatViolations, type RuleId } from '../policies/rules';
import { planTable, runOfflinePlanCheck, type OfflinePlanResult, type StackPlan } from './offline-plan';
import { ToolchainError } from './toolchain';
import { processesUnder } from '../testing';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
const STACKS = Object.keys(ENVIRONMENTS).map(stackName);
const RESOURCE_TYPES = [
  'aws_athena_named_query',
  'aws_athena_workgroup',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_log_stream',
  'aws_cloudwatch_metric_alarm',
  'aws_glue_catalog_database',
  'aws_glue_catalog_table',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_kinesis_firehose_delivery_stream',
  'aws_kinesis_stream',
  'aws_kms_alias',
  'aws_kms_key',
  'aws_s3_bucket',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
];

/** The documented default state location after `infra:deploy`: the check must neither create nor change it. */
const DEFAULT_STATE_DIR = join(REPO_ROOT, 'apps', 'infra', '.terraform-state');

/** Every entry under a folder, with a hash of each file's content; null when the folder does not exist. */
function folderContents(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const entries = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  return Object.fromEntries(
    entries.map((entry) => {
      const path = join(dir, entry);
      return [entry, statSync(path).isDirectory() ? 'folder' : createHash('sha256').update(readFileSync(path)).digest('hex')];
    }),
  );
}

const stateBefore = folderContents(DEFAULT_STATE_DIR);
// Runs once, while the file is collected: the plan tests below read its plans.
const result: OfflinePlanResult = await runOfflinePlanCheck({
  repoRoot: REPO_ROOT,
  log: (line) => console.warn(line), // progress, and the warning if there is one, in the CI log
});
const stateAfter = folderContents(DEFAULT_STATE_DIR);
const plans = result.status === 'planned' ? result.plans : [];
const unavailableReason = result.status === 'unavailable' ? result.reason : undefined;

function planOf(stack: string): StackPlan {
  const found = plans.find((p) => p.stack === stack);
  if (!found) throw new Error(`${stack} was not planned: ${unavailableReason ?? 'the check did not plan it'}`);
  return found;
}

function change(plan: TerraformPlan, match: (rc: ResourceChange) => boolean, edit: (after: Record<string, unknown>) => void): TerraformPlan {
  const copy = structuredClone(plan);
  const target = copy.resource_changes?.find(match);
  if (!target?.change.after) throw new Error('mutation target is not in the plan');
  edit(target.change.after);
  return copy;
}

/** Nested blocks (statements, configuration) as the plan shows them: lists of objects. */
type Blocks = Array<Record<string, unknown>>;
const ofType = (type: string) => (rc: ResourceChange) => rc.type === type;
const documentWith = (sid: string) => (rc: ResourceChange) =>
  rc.type === 'aws_iam_policy_document' && JSON.stringify(rc.change.after?.statement ?? []).includes(`"sid":"${sid}"`);
const documentAllowing = (action: string) => (rc: ResourceChange) =>
  rc.type === 'aws_iam_policy_document' && JSON.stringify(rc.change.after?.statement ?? []).includes(`"${action}"`);
/** The plan with one statement of a policy document changed by `edit` (or removed, when `edit` returns null). */
const withStatement = (sid: string, edit: (statement: Record<string, unknown>) => Record<string, unknown> | null) => (plan: TerraformPlan) =>
  change(plan, documentWith(sid), (a) => void (a.statement = (a.statement as Blocks).flatMap((s) => (s.sid === sid ? (edit(s) ?? []) : [s]))));

/** One targeted break of the real plan per rule: the rule must catch it, and no other rule may. */
const s3Of = (a: Record<string, unknown>) => (a.extended_s3_configuration as Blocks)[0] as Record<string, unknown>;

const MUTATIONS: Array<[string, RuleId, (plan: TerraformPlan) => TerraformPlan]> = [
  [
    'dynamic partitioning off under a partition-key prefix',
    'firehose-partitioning',
    (p) => change(p, ofType('aws_kinesis_firehose_delivery_stream'), (a) => void (s3Of(a).dynamic_partitioning_configuration = [])),
  ],
  [
    'the MetadataExtraction processor removed',
    'firehose-partitioning',
    (p) => change(p, ofType('aws_kinesis_firehose_delivery_stream'), (a) => void (s3Of(a).processing_configuration = [])),
  ],
  ['the stream unencrypted', 'encryption-at-rest', (p) => change(p, ofType('aws_kinesis_stream'), (a) => void (a.encryption_type = 'NONE'))],
  ['the key not rotating', 'encryption-at-rest', (p) => change(p, ofType('aws_kms_key'), (a) => void (a.enable_key_rotation = false))],
  [
    'the workgroup’s result encryption removed',
    'encryption-at-rest',
    (p) =>
      change(
        p,
        ofType('aws_athena_workgroup'),
        (a) => void ((a.configuration as Blocks)[0]?.result_configuration as Blocks).forEach((r) => (r.encryption_configuration = [])),
      ),
  ],
  [
    'the bucket’s encryption removed',
    'encryption-at-rest',
    (p) => ({ ...p, resource_changes: p.resource_changes?.filter((rc) => rc.type !== 'aws_s3_bucket_server_side_encryption_configuration') }),
  ],
  [
    'a public access block off',
    'public-access-blocked',
    (p) => change(p, ofType('aws_s3_bucket_public_access_block'), (a) => void (a.block_public_policy = false)),
  ],
  [
    'the plain-HTTP deny with its condition removed (denies every request)',
    'tls-only-bucket-policy',
    (p) => change(p, documentWith('DenyInsecureTransport'), (a) => void (a.statement as Blocks).forEach((s) => (s.condition = []))),
  ],
  ['the TLS-version deny removed', 'tls-only-bucket-policy', withStatement('DenyOutdatedTls', () => null)],
  [
    'the TLS-version deny lowered to TLS < 1.0',
    'tls-only-bucket-policy',
    withStatement('DenyOutdatedTls', (s) => ({ ...s, condition: (s.condition as Blocks).map((c) => ({ ...c, values: ['1.0'] })) })),
  ],
  ['log retention forever', 'log-retention', (p) => change(p, ofType('aws_cloudwatch_log_group'), (a) => void (a.retention_in_days = 0))],
  [
    'a wildcard action in the Firehose role',
    'no-wildcard-iam',
    (p) => change(p, documentWith('ReadSourceStream'), (a) => void ((a.statement as Blocks)[0] = { ...(a.statement as Blocks)[0], actions: ['kinesis:*'] })),
  ],
  [
    'the Firehose role assumable by anyone',
    'no-wildcard-iam',
    (p) =>
      change(p, documentAllowing('sts:AssumeRole'), (a) => void (a.statement as Blocks).forEach((s) => (s.principals = [{ type: 'AWS', identifiers: ['*'] }]))),
  ],
  [
    'a "*" resource in the Firehose role',
    'no-wildcard-iam',
    (p) => change(p, documentWith('ReadSourceStream'), (a) => void ((a.statement as Blocks)[0] = { ...(a.statement as Blocks)[0], resources: ['*'] })),
  ],
];

describe('offline plan check on this machine', () => {
  it('synthesizes every environment through cdktf.json’s app, in a temp dir it removes', () => {
    expect(result.stacks).toEqual(STACKS);
    expect(existsSync(result.workDir)).toBe(false);
  });

  it('leaves no AWS provider running: each stack’s, started once for its commands, is stopped', () => {
    expect(processesUnder(result.workDir)).toEqual([]);
  });

  it('leaves the default state folder (apps/infra/.terraform-state) as it found it, if there is one', () => {
    expect(stateAfter).toEqual(stateBefore);
  });

  it('planned every environment (without terraform or the mirror: fails, saying which)', () => {
    expect(unavailableReason, `the offline terraform plan check could not run: ${unavailableReason}`).toBeUndefined();
    expect(plans.map((p) => p.stack)).toEqual(STACKS);
  });
});

describe.each(STACKS)('offline plan of %s', (stack) => {
  const env = stack.replace('lakehouse-', '');
  const managed = () => (planOf(stack).plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const after = (type: string) => managed().find((rc) => rc.type === type)?.change.after ?? {};

  it('validates and plans every resource of the stack, from nothing', () => {
    expect([...new Set(managed().map((rc) => rc.type))].sort()).toEqual(RESOURCE_TYPES);
    expect(managed().every((rc) => rc.change.actions.join() === 'create')).toBe(true);
  });

  it('passes every policy rule', () => {
    expect(formatViolations(planOf(stack).violations)).toBe('');
  });

  it('plans the values AWS will get (what Terraform made of the JSON)', () => {
    expect(after('aws_kinesis_stream')).toMatchObject({ name: `lakehouse-${env}-events`, encryption_type: 'KMS' });
    expect(after('aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(after('aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(after('aws_glue_catalog_table').partition_keys).toEqual(
      ['year', 'month', 'day', 'hour'].map((name) => expect.objectContaining({ name, type: 'int' })),
    );
    expect(after('aws_cloudwatch_log_group').tags_all as Record<string, string>).toEqual({ project: 'lakehouse', environment: env });
  });

  it('plans the partitioning of the environment, the JQ query reaching AWS unchanged', () => {
    const settings = pipelineSettings(env);
    const s3 = (after('aws_kinesis_firehose_delivery_stream').extended_s3_configuration as Blocks)[0] ?? {};
    expect(s3.prefix).toBe(settings.firehosePrefix);
    expect(s3.error_output_prefix).toBe(settings.errorOutputPrefix);
    if (settings.partitioning === 'event-time') {
      expect(s3.dynamic_partitioning_configuration).toEqual([{ enabled: true, retry_duration: 3600 }]);
      const [processor] = (s3.processing_configuration as Blocks)[0]?.processors as Blocks;
      expect(processor?.parameters).toEqual([
        { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
        { parameter_name: 'MetadataExtractionQuery', parameter_value: partitionKeyQuery() },
      ]);
    } else {
      expect(s3.dynamic_partitioning_configuration).toEqual([]);
      expect(s3.processing_configuration).toEqual([]);
    }
  });
});

describe('each rule fails on a mutated real plan (lakehouse-dev)', () => {
  it.each(MUTATIONS)('%s -> %s', (_, rule, mutate) => {
    expect([...new Set(checkPlan(mutate(planOf(stackName('dev')).plan)).map((v) => v.rule))]).toEqual([rule]);
  });
});

describe('planTable', () => {
  it('prints a header, a rule, and one line per stack with the numbers right-aligned', () => {
    const plan = (stack: string, changes: number, violations: number, seconds: StackPlan['seconds']): StackPlan => ({
      stack,
      plan: { resource_changes: Array.from({ length: changes }) as ResourceChange[] },
      violations: Array.from({ length: violations }) as StackPlan['violations'],
      seconds,
    });
    expect(
      planTable([
        plan('lakehouse-dev', 30, 0, { init: 0.6, provider: 1.4, validate: 2.2, plan: 2.9, show: 2.1 }),
        plan('lakehouse-prod', 9, 12, { init: 10.5, provider: 1.5, validate: 3, plan: 4.6, show: 2.8 }),
      ]),
    ).toBe(
      [
        'stack           changes  violations  init s  provider s  validate s  plan s  show -json s',
        '--------------  -------  ----------  ------  ----------  ----------  ------  ------------',
        'lakehouse-dev        30           0     0.6         1.4         2.2     2.9           2.1',
        'lakehouse-prod        9          12    10.5         1.5           3     4.6           2.8',
      ].join('\n'),
    );
  });
});

// Each check synthesizes both stacks into a temp dir of its own: they run at the same time.
describe.concurrent('offline plan check without its tools', () => {
  const noTools = mkdtempSync(join(tmpdir(), 'lakehouse-no-tools-'));
  afterAll(() => rmSync(noTools, { recursive: true, force: true }));

  it('still synthesizes, then warns loudly that terraform is missing', async () => {
    const lines: string[] = [];
    const r = await runOfflinePlanCheck({ repoRoot: REPO_ROOT, log: (l) => lines.push(l), toolchainEnv: { PATH: noTools } });
    expect(r).toMatchObject({ status: 'unavailable', stacks: STACKS });
    expect(lines.join('\n')).toContain('WARNING: offline terraform plan check NOT RUN: no terraform on PATH');
  });

  it('warns that the provider mirror is missing when terraform is there but no mirror is', async () => {
    const lines: string[] = [];
    const fakeTerraform = process.execPath; // any executable: the check stops before running it
    const r = await runOfflinePlanCheck({
      repoRoot: REPO_ROOT,
      log: (l) => lines.push(l),
      toolchainEnv: { LAKEHOUSE_TERRAFORM: fakeTerraform },
      mirrorSearchDirs: [noTools],
    });
    expect(r.status).toBe('unavailable');
    expect(lines.join('\n')).toMatch(
      /WARNING: offline terraform plan check NOT RUN: no provider mirror holds registry\.terraform\.io\/hashicorp\/aws 5\.100\.0/,
    );
  });

  it('fails (not warns) when LAKEHOUSE_TF_PLUGIN_MIRROR names a folder without the provider', async () => {
    await expect(
      runOfflinePlanCheck({
        repoRoot: REPO_ROOT,
        log: () => undefined,
        toolchainEnv: { LAKEHOUSE_TERRAFORM: process.execPath, LAKEHOUSE_TF_PLUGIN_MIRROR: noTools },
      }),
    ).rejects.toThrow(ToolchainError);
  });
});
