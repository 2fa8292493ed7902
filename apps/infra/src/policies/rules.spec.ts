import { describe, expect, it } from 'vitest';
import type { ConfigResource, ResourceChange, TerraformPlan } from './plan';
import { checkPlan, formatViolations, NO_RESOURCE_LEVEL_ACTIONS, POLICY_RULES, type RuleId } from './rules';

/**
 * Plans shaped like `terraform show -json` output (the offline plan spec checks the same rules on
 * real plans): `after` values, `after_unknown` for what apply decides, and configuration references.
 */
interface Fixture {
  address: string;
  values: Record<string, unknown>;
  unknown?: Record<string, unknown>;
  /** Attribute path (dotted) -> referenced resource addresses. */
  refs?: Record<string, string[]>;
}

function expressions(refs: Record<string, string[]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, addresses] of Object.entries(refs)) {
    const keys = path.split('.');
    let node: Record<string, unknown> = root;
    for (const [i, key] of keys.entries()) {
      if (i === keys.length - 1) node[key] = { references: addresses.flatMap((a) => [`${a}.arn`, a]) };
      else node = (node[key] ??= /^\d+$/.test(keys[i + 1] ?? '') ? [] : {}) as Record<string, unknown>;
    }
  }
  return root;
}

function planOf(fixtures: Fixture[]): TerraformPlan {
  const parse = (address: string) => {
    const data = address.startsWith('data.');
    const [type, name] = address.replace(/^data\./, '').split('.') as [string, string];
    return { mode: data ? ('data' as const) : ('managed' as const), type, name };
  };
  return {
    resource_changes: fixtures.map(
      (f): ResourceChange => ({
        address: f.address,
        ...parse(f.address),
        change: { actions: [f.address.startsWith('data.') ? 'read' : 'create'], after: f.values, after_unknown: f.unknown ?? {} },
      }),
    ),
    configuration: {
      root_module: {
        resources: fixtures.map((f): ConfigResource => ({ address: f.address, mode: parse(f.address).mode, type: parse(f.address).type, expressions: expressions(f.refs ?? {}) })),
      },
    },
  };
}

const BUCKET = 'aws_s3_bucket.lake';
const TLS_DOC = 'data.aws_iam_policy_document.tls';
const ROLE_DOC = 'data.aws_iam_policy_document.role';

const tlsStatement = {
  sid: 'DenyInsecureTransport',
  effect: 'Deny',
  actions: ['s3:*'],
  principals: [{ type: 'AWS', identifiers: ['*'] }],
  resources: [null, null],
  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
};
const roleStatement = { sid: 'Write', effect: 'Allow', actions: ['s3:PutObject'], resources: [null], condition: [], principals: [] };

/** A small stack that passes every rule, as terraform would plan it before anything exists. */
function goodStack(): Fixture[] {
  return [
    { address: 'aws_kms_key.key', values: { enable_key_rotation: true, policy: null }, unknown: { arn: true, policy: true } },
    { address: 'aws_kinesis_stream.events', values: { encryption_type: 'KMS' }, unknown: { kms_key_id: true, arn: true } },
    { address: BUCKET, values: { bucket_prefix: 'lake-' }, unknown: { bucket: true, arn: true, id: true } },
    {
      address: 'aws_s3_bucket_public_access_block.lake',
      values: { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
      unknown: { bucket: true },
      refs: { bucket: [BUCKET] },
    },
    {
      address: 'aws_s3_bucket_server_side_encryption_configuration.lake',
      values: { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }], bucket_key_enabled: true }] },
      unknown: { bucket: true, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] },
      refs: { bucket: [BUCKET] },
    },
    { address: TLS_DOC, values: { statement: [tlsStatement] }, unknown: { json: true }, refs: { 'statement.0.resources': [BUCKET] } },
    { address: 'aws_s3_bucket_policy.lake', values: {}, unknown: { bucket: true, policy: true }, refs: { bucket: [BUCKET], policy: [TLS_DOC] } },
    { address: 'aws_cloudwatch_log_group.delivery', values: { retention_in_days: 14 } },
    {
      address: 'aws_athena_workgroup.lake',
      values: { configuration: [{ enforce_workgroup_configuration: true, result_configuration: [{ encryption_configuration: [{ encryption_option: 'SSE_KMS' }] }] }] },
    },
    { address: 'aws_kinesis_firehose_delivery_stream.delivery', values: { kinesis_source_configuration: [{}] }, unknown: { kinesis_source_configuration: [{ kinesis_stream_arn: true }] } },
    { address: ROLE_DOC, values: { statement: [roleStatement] }, unknown: { json: true } },
    {
      address: 'aws_iam_role.firehose',
      values: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'firehose.amazonaws.com' } }] }) },
    },
    { address: 'aws_iam_role_policy.firehose', values: {}, unknown: { policy: true }, refs: { policy: [ROLE_DOC] } },
  ];
}

/** The good stack with one resource's values changed (or the resource removed, when `change` returns null). */
function mutated(address: string, change: (f: Fixture) => Fixture | null): Fixture[] {
  return goodStack().flatMap((f) => (f.address === address ? (change(structuredClone(f)) ?? []) : [f]));
}

function rulesFailing(fixtures: Fixture[]): RuleId[] {
  return [...new Set(checkPlan(planOf(fixtures)).map((v) => v.rule))];
}

describe('policy rules', () => {
  it('pass a stack that does everything right', () => {
    expect(formatViolations(checkPlan(planOf(goodStack())))).toBe('');
  });

  it('cover the five concerns of issue 3', () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual(['encryption-at-rest', 'public-access-blocked', 'tls-only-bucket-policy', 'log-retention', 'no-wildcard-iam']);
  });

  // Each rule fails on a bad stack, and only that rule does.
  it.each<[string, RuleId, Fixture[]]>([
    ['an unencrypted stream', 'encryption-at-rest', mutated('aws_kinesis_stream.events', (f) => ({ ...f, values: { encryption_type: 'NONE' }, unknown: {} }))],
    ['a KMS stream with no key', 'encryption-at-rest', mutated('aws_kinesis_stream.events', (f) => ({ ...f, unknown: {} }))],
    ['a bucket without default encryption', 'encryption-at-rest', mutated('aws_s3_bucket_server_side_encryption_configuration.lake', () => null)],
    ['Athena results unencrypted', 'encryption-at-rest', mutated('aws_athena_workgroup.lake', (f) => ({ ...f, values: { configuration: [{ enforce_workgroup_configuration: true, result_configuration: [{ encryption_configuration: [] }] }] } }))],
    ['a workgroup clients can override', 'encryption-at-rest', mutated('aws_athena_workgroup.lake', (f) => ({ ...f, values: { configuration: [{ enforce_workgroup_configuration: false, result_configuration: [{ encryption_configuration: [{ encryption_option: 'SSE_S3' }] }] }] } }))],
    ['a direct-PUT delivery stream without SSE', 'encryption-at-rest', mutated('aws_kinesis_firehose_delivery_stream.delivery', (f) => ({ ...f, values: { kinesis_source_configuration: [], server_side_encryption: [{ enabled: false }] }, unknown: {} }))],
    ['a key that never rotates', 'encryption-at-rest', mutated('aws_kms_key.key', (f) => ({ ...f, values: { enable_key_rotation: false, policy: null } }))],
    ['a bucket without a public access block', 'public-access-blocked', mutated('aws_s3_bucket_public_access_block.lake', () => null)],
    ['a public access block with a flag off', 'public-access-blocked', mutated('aws_s3_bucket_public_access_block.lake', (f) => ({ ...f, values: { ...f.values, restrict_public_buckets: false } }))],
    ['a bucket without a policy', 'tls-only-bucket-policy', mutated('aws_s3_bucket_policy.lake', () => null)],
    ['a policy that allows plain HTTP', 'tls-only-bucket-policy', mutated(TLS_DOC, (f) => ({ ...f, values: { statement: [{ ...tlsStatement, condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] }] }] } }))],
    ['a TLS deny for some actions only', 'tls-only-bucket-policy', mutated(TLS_DOC, (f) => ({ ...f, values: { statement: [{ ...tlsStatement, actions: ['s3:GetObject'] }] } }))],
    ['a TLS deny on the bucket but not its objects', 'tls-only-bucket-policy', mutated(TLS_DOC, (f) => ({ ...f, values: { statement: [{ ...tlsStatement, resources: [null] }] } }))],
    ['logs kept forever', 'log-retention', mutated('aws_cloudwatch_log_group.delivery', (f) => ({ ...f, values: { retention_in_days: 0 } }))],
    ['logs with no retention', 'log-retention', mutated('aws_cloudwatch_log_group.delivery', (f) => ({ ...f, values: { retention_in_days: null } }))],
    ['a service wildcard', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: ['s3:*'] }] } }))],
    ['a prefix wildcard', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: ['s3:Put*'] }] } }))],
    ['a "*" resource', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, resources: ['*'] }] } }))],
    ['NotAction', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: [], not_actions: ['iam:*'] }] } }))],
    [
      'an inline JSON policy with Action "*"',
      'no-wildcard-iam',
      mutated('aws_iam_role_policy.firehose', (f) => ({ ...f, values: { policy: JSON.stringify({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }) }, unknown: {}, refs: {} })),
    ],
    ['a trust policy open to anyone', 'no-wildcard-iam', mutated('aws_iam_role.firehose', (f) => ({ ...f, values: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: '*' }] }) } }))],
    ['an AWS-managed full-access policy', 'no-wildcard-iam', mutated('aws_iam_role.firehose', (f) => ({ ...f, values: { ...f.values, managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] } }))],
    [
      'an attached AdministratorAccess',
      'no-wildcard-iam',
      [...goodStack(), { address: 'aws_iam_role_policy_attachment.admin', values: { policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }],
    ],
    ['a policy only apply can know', 'no-wildcard-iam', mutated('aws_iam_role_policy.firehose', (f) => ({ ...f, refs: { policy: ['aws_s3_bucket.lake'] } }))],
  ])('fail on %s (%s)', (_, rule, fixtures) => {
    expect(rulesFailing(fixtures)).toEqual([rule]);
  });

  it('accept a "*" resource for actions AWS grants only on "*"', () => {
    const action = [...NO_RESOURCE_LEVEL_ACTIONS][0];
    const fixtures = mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: [action], resources: ['*'] }] } }));
    expect(rulesFailing(fixtures)).toEqual([]);
  });

  it('accept a TLS deny written as policy JSON with the bucket’s known ARN', () => {
    const arn = 'arn:aws:s3:::lake-1';
    const policy = { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
    const fixtures = goodStack()
      .filter((f) => f.address !== TLS_DOC)
      .map((f) => (f.address === BUCKET ? { ...f, values: { bucket: 'lake-1', arn }, unknown: {} } : f))
      .map((f) => (f.address === 'aws_s3_bucket_policy.lake' ? { ...f, values: { bucket: 'lake-1', policy: JSON.stringify(policy) }, unknown: {}, refs: {} } : f));
    expect(rulesFailing(fixtures)).toEqual([]);
  });

  it('name the resource and what to do', () => {
    const [v] = checkPlan(planOf(mutated('aws_cloudwatch_log_group.delivery', (f) => ({ ...f, values: { retention_in_days: 0 } }))));
    expect(v).toEqual({ rule: 'log-retention', address: 'aws_cloudwatch_log_group.delivery', message: 'log events are kept forever: set retention_in_days (got 0)' });
  });
});
