import { describe, expect, it } from 'vitest';
import type { ConfigResource, ResourceChange, TerraformPlan } from './plan';
import { checkPlan, formatViolations, POLICY_RULES, type RuleId } from './rules';

/**
 * Plans shaped like `terraform show -json` output of what the stack creates, before anything exists (the
 * offline plan spec checks the same rules on real plans): `after` values, `after_unknown` for what apply
 * decides, and configuration references. Every policy is an aws_iam_policy_document's JSON, as in the stack.
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
        resources: fixtures.map(
          (f): ConfigResource => ({ address: f.address, mode: parse(f.address).mode, type: parse(f.address).type, expressions: expressions(f.refs ?? {}) }),
        ),
      },
    },
  };
}

const BUCKET = 'aws_s3_bucket.lake';
const TLS_DOC = 'data.aws_iam_policy_document.tls';
const ROLE_DOC = 'data.aws_iam_policy_document.role';
const TRUST_DOC = 'data.aws_iam_policy_document.trust';

const tlsStatement = {
  sid: 'DenyInsecureTransport',
  effect: 'Deny',
  actions: ['s3:*'],
  principals: [{ type: 'AWS', identifiers: ['*'] }],
  resources: [null, null],
  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
};
const tlsVersionStatement = { ...tlsStatement, sid: 'DenyOutdatedTls', condition: [{ test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }] };
const roleStatement = { sid: 'Write', effect: 'Allow', actions: ['s3:PutObject'], resources: [null], condition: [], principals: [] };
const trustStatement = {
  effect: 'Allow',
  actions: ['sts:AssumeRole'],
  principals: [{ type: 'Service', identifiers: ['firehose.amazonaws.com'] }],
  condition: [],
};

/** A small stack that passes every rule, as terraform would plan it before anything exists. */
function goodStack(): Fixture[] {
  return [
    { address: 'aws_kms_key.key', values: { enable_key_rotation: true }, unknown: { arn: true, policy: true } },
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
    {
      address: TLS_DOC,
      values: { statement: [tlsStatement, tlsVersionStatement] },
      unknown: { json: true },
      refs: { 'statement.0.resources': [BUCKET], 'statement.1.resources': [BUCKET] },
    },
    { address: 'aws_s3_bucket_policy.lake', values: {}, unknown: { bucket: true, policy: true }, refs: { bucket: [BUCKET], policy: [TLS_DOC] } },
    { address: 'aws_cloudwatch_log_group.firehose', values: { retention_in_days: 14 } },
    {
      address: 'aws_athena_workgroup.lake',
      values: {
        configuration: [{ enforce_workgroup_configuration: true, result_configuration: [{ encryption_configuration: [{ encryption_option: 'SSE_KMS' }] }] }],
      },
    },
    {
      address: 'aws_kinesis_firehose_delivery_stream.firehose',
      values: { kinesis_source_configuration: [{}] },
      unknown: { kinesis_source_configuration: [{ kinesis_stream_arn: true }] },
    },
    { address: ROLE_DOC, values: { statement: [roleStatement] }, unknown: { json: true } },
    { address: TRUST_DOC, values: { statement: [trustStatement] }, unknown: { json: true } },
    { address: 'aws_iam_role.firehose', values: {}, unknown: { assume_role_policy: true }, refs: { assume_role_policy: [TRUST_DOC] } },
    { address: 'aws_iam_role_policy.firehose', values: {}, unknown: { policy: true }, refs: { policy: [ROLE_DOC] } },
  ];
}

/** The good stack with one resource's values changed (or the resource removed, when `change` returns null). */
function mutated(address: string, change: (f: Fixture) => Fixture | null): Fixture[] {
  return goodStack().flatMap((f) => (f.address === address ? (change(structuredClone(f)) ?? []) : [f]));
}

type PolicyStatement = Record<string, unknown>;

/** The stack with one statement of the bucket policy changed (or removed, when `change` returns null), the other as it was. */
function bucketPolicyWith(sid: string, change: (s: PolicyStatement) => PolicyStatement | null, fixtures: Fixture[] = goodStack()): Fixture[] {
  return fixtures.map((f) =>
    f.address === TLS_DOC
      ? { ...f, values: { statement: (f.values.statement as PolicyStatement[]).flatMap((s) => (s.sid === sid ? (change(structuredClone(s)) ?? []) : [s])) } }
      : f,
  );
}

const BUCKET_ARN = 'arn:aws:s3:::lake-20250101000000000000000001';

/** The stack against existing state: the bucket's ARN, and so the bucket policy's resources, known at plan time. */
function withKnownBucketArn(fixtures: Fixture[]): Fixture[] {
  return fixtures.map((f) => {
    if (f.address === BUCKET) return { ...f, values: { ...f.values, arn: BUCKET_ARN }, unknown: { bucket: true, id: true } };
    if (f.address === TLS_DOC)
      return { ...f, values: { statement: (f.values.statement as PolicyStatement[]).map((s) => ({ ...s, resources: [BUCKET_ARN, `${BUCKET_ARN}/*`] })) } };
    return f;
  });
}

function rulesFailing(plan: Fixture[] | TerraformPlan): RuleId[] {
  return [...new Set(checkPlan(Array.isArray(plan) ? planOf(plan) : plan).map((v) => v.rule))];
}

/** A plan against existing state: the documents' inputs are known, so Terraform read them during plan (prior_state). */
function readDuringPlan(fixtures: Fixture[], ...documents: string[]): TerraformPlan {
  const plan = planOf(fixtures);
  const read = plan.resource_changes?.filter((rc) => documents.includes(rc.address)) ?? [];
  plan.resource_changes = plan.resource_changes?.filter((rc) => !read.includes(rc));
  plan.prior_state = { values: { root_module: { resources: read.map((rc) => ({ address: rc.address, values: rc.change.after ?? {} })) } } };
  return plan;
}

describe('policy rules', () => {
  it('pass a stack that does everything right', () => {
    expect(formatViolations(checkPlan(planOf(goodStack())))).toBe('');
  });

  it('cover the five concerns of issue 3, and dynamic partitioning (issue 20)', () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual([
      'encryption-at-rest',
      'public-access-blocked',
      'tls-only-bucket-policy',
      'log-retention',
      'no-wildcard-iam',
      'firehose-partitioning',
    ]);
  });

  // Each rule fails on a bad stack, and only that rule does.
  it.each<[string, RuleId, Fixture[]]>([
    ['an unencrypted stream', 'encryption-at-rest', mutated('aws_kinesis_stream.events', (f) => ({ ...f, values: { encryption_type: 'NONE' }, unknown: {} }))],
    ['a KMS stream with no key', 'encryption-at-rest', mutated('aws_kinesis_stream.events', (f) => ({ ...f, unknown: {} }))],
    ['a bucket without default encryption', 'encryption-at-rest', mutated('aws_s3_bucket_server_side_encryption_configuration.lake', () => null)],
    [
      'Athena results unencrypted',
      'encryption-at-rest',
      mutated('aws_athena_workgroup.lake', (f) => ({
        ...f,
        values: { configuration: [{ enforce_workgroup_configuration: true, result_configuration: [{ encryption_configuration: [] }] }] },
      })),
    ],
    [
      'a workgroup clients can override',
      'encryption-at-rest',
      mutated('aws_athena_workgroup.lake', (f) => ({
        ...f,
        values: {
          configuration: [{ enforce_workgroup_configuration: false, result_configuration: [{ encryption_configuration: [{ encryption_option: 'SSE_S3' }] }] }],
        },
      })),
    ],
    ['a key that never rotates', 'encryption-at-rest', mutated('aws_kms_key.key', (f) => ({ ...f, values: { enable_key_rotation: false } }))],
    ['a bucket without a public access block', 'public-access-blocked', mutated('aws_s3_bucket_public_access_block.lake', () => null)],
    [
      'a public access block with a flag off',
      'public-access-blocked',
      mutated('aws_s3_bucket_public_access_block.lake', (f) => ({ ...f, values: { ...f.values, restrict_public_buckets: false } })),
    ],
    ['a bucket without a policy', 'tls-only-bucket-policy', mutated('aws_s3_bucket_policy.lake', () => null)],
    ['a policy that allows plain HTTP', 'tls-only-bucket-policy', bucketPolicyWith('DenyInsecureTransport', () => null)],
    [
      'a plain-HTTP deny of HTTPS instead',
      'tls-only-bucket-policy',
      bucketPolicyWith('DenyInsecureTransport', (s) => ({ ...s, condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] }] })),
    ],
    [
      'a plain-HTTP deny for some actions only',
      'tls-only-bucket-policy',
      bucketPolicyWith('DenyInsecureTransport', (s) => ({ ...s, actions: ['s3:GetObject'] })),
    ],
    [
      'a plain-HTTP deny on the bucket but not its objects',
      'tls-only-bucket-policy',
      bucketPolicyWith('DenyInsecureTransport', (s) => ({ ...s, resources: [null] })),
    ],
    ['a policy that allows TLS below 1.2', 'tls-only-bucket-policy', bucketPolicyWith('DenyOutdatedTls', () => null)],
    ['logs kept forever', 'log-retention', mutated('aws_cloudwatch_log_group.firehose', (f) => ({ ...f, values: { retention_in_days: 0 } }))],
    ['logs with no retention', 'log-retention', mutated('aws_cloudwatch_log_group.firehose', (f) => ({ ...f, values: { retention_in_days: null } }))],
    ['a service wildcard', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: ['s3:*'] }] } }))],
    ['a prefix wildcard', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: ['s3:Put*'] }] } }))],
    ['a "*" resource', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, resources: ['*'] }] } }))],
    ['NotAction', 'no-wildcard-iam', mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: [], not_actions: ['iam:*'] }] } }))],
    [
      'NotResource',
      'no-wildcard-iam',
      mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, resources: [], not_resources: ['arn:aws:s3:::other'] }] } })),
    ],
    [
      'a trust policy open to anyone',
      'no-wildcard-iam',
      mutated(TRUST_DOC, (f) => ({ ...f, values: { statement: [{ ...trustStatement, principals: [{ type: 'AWS', identifiers: ['*'] }] }] } })),
    ],
    [
      'a role policy not built by a policy document',
      'no-wildcard-iam',
      mutated('aws_iam_role_policy.firehose', (f) => ({ ...f, refs: { policy: ['aws_s3_bucket.lake'] } })),
    ],
  ])('fail on %s (%s)', (_, rule, fixtures) => {
    expect(rulesFailing(fixtures)).toEqual([rule]);
  });

  // The deny of TLS below 1.2 broken one way at a time, the deny of plain HTTP left as it is.
  const tlsVersion = (values: string[], test = 'NumericLessThan', variable = 's3:TlsVersion') => [{ test, variable, values }];
  it.each<[string, Fixture[]]>([
    [
      'by NumericGreaterThan 1.2 (denies newer TLS instead)',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, condition: tlsVersion(['1.2'], 'NumericGreaterThan') })),
    ],
    [
      'on another condition key (s3:signatureversion)',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, condition: tlsVersion(['1.2'], 'NumericLessThan', 's3:signatureversion') })),
    ],
    ['below 1.1 only (lets TLS 1.1 through)', bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, condition: tlsVersion(['1.1']) }))],
    ['for some actions only', bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, actions: ['s3:GetObject'] }))],
    [
      'for one account only',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] })),
    ],
    [
      'narrowed by a further condition',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({
        ...s,
        condition: [...tlsVersion(['1.2']), { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: ['123456789012'] }],
      })),
    ],
    ['on the bucket but not its objects', bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, resources: [null] }))],
    [
      'on the bucket but not its objects (ARNs known)',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, resources: [BUCKET_ARN] }), withKnownBucketArn(goodStack())),
    ],
    [
      'on the objects but not the bucket (ARNs known)',
      bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, resources: [`${BUCKET_ARN}/*`] }), withKnownBucketArn(goodStack())),
    ],
    [
      'in one statement with the plain-HTTP deny (each condition narrows the other)',
      mutated(TLS_DOC, (f) => ({
        ...f,
        values: { statement: [{ ...tlsStatement, condition: [...tlsStatement.condition, ...tlsVersionStatement.condition] }] },
      })),
    ],
  ])('fail on a TLS-version deny %s (tls-only-bucket-policy)', (_, fixtures) => {
    expect(rulesFailing(fixtures)).toEqual(['tls-only-bucket-policy']);
  });

  it('fail on a TLS-version deny turned into an Allow (tls-only-bucket-policy, and no-wildcard-iam for allowing s3:* to anyone)', () => {
    expect(rulesFailing(bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, effect: 'Allow' })))).toEqual(['tls-only-bucket-policy', 'no-wildcard-iam']);
  });

  it('pass a TLS-version deny stricter than 1.2 (NumericLessThan 1.3)', () => {
    expect(rulesFailing(bucketPolicyWith('DenyOutdatedTls', (s) => ({ ...s, condition: tlsVersion(['1.3']) })))).toEqual([]);
  });

  it('pass a stack whose bucket ARN, and so its policy’s resources, are known at plan time', () => {
    expect(rulesFailing(withKnownBucketArn(goodStack()))).toEqual([]);
  });

  it('name what the bucket policy misses', () => {
    const [v] = checkPlan(planOf(bucketPolicyWith('DenyOutdatedTls', () => null)));
    expect(v).toEqual({
      rule: 'tls-only-bucket-policy',
      address: BUCKET,
      message: 'no bucket policy statement denies s3:* to everyone when s3:TlsVersion is below 1.2 (NumericLessThan 1.2), on the bucket and its objects',
    });
  });

  it('pass a stack whose documents Terraform read during plan (a plan against existing state)', () => {
    expect(rulesFailing(readDuringPlan(goodStack(), ROLE_DOC, TRUST_DOC, TLS_DOC))).toEqual([]);
  });

  it('read the statements of a document Terraform read during plan', () => {
    const plan = readDuringPlan(
      mutated(ROLE_DOC, (f) => ({ ...f, values: { statement: [{ ...roleStatement, actions: ['s3:*'] }] } })),
      ROLE_DOC,
    );
    expect(formatViolations(checkPlan(plan))).toBe(
      '[no-wildcard-iam] aws_iam_role_policy.firehose: policy: Write allows wildcard actions s3:*: list the exact actions',
    );
  });

  it('name the resource and what to do', () => {
    const [v] = checkPlan(planOf(mutated('aws_cloudwatch_log_group.firehose', (f) => ({ ...f, values: { retention_in_days: 0 } }))));
    expect(v).toEqual({
      rule: 'log-retention',
      address: 'aws_cloudwatch_log_group.firehose',
      message: 'log events are kept forever: set retention_in_days (got 0)',
    });
  });
});

const FIREHOSE = 'aws_kinesis_firehose_delivery_stream.firehose';
const KEYS_PREFIX = 'events/year=!{partitionKeyFromQuery:year}/hour=!{partitionKeyFromQuery:hour}/';
const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/';

/** The good stack's delivery stream with event-time partitioning as the stack plans it, then `edit`ed. */
function partitioned(edit: (s3: Record<string, unknown>) => void = () => undefined): Fixture[] {
  return mutated(FIREHOSE, (f) => {
    const s3: Record<string, unknown> = {
      prefix: KEYS_PREFIX,
      error_output_prefix: ERROR_PREFIX,
      buffering_size: 128,
      buffering_interval: 60,
      dynamic_partitioning_configuration: [{ enabled: true, retry_duration: 3600 }],
      processing_configuration: [
        {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
                { parameter_name: 'MetadataExtractionQuery', parameter_value: '.event_date | {year: .[0:4], hour: .[11:13]}' },
              ],
            },
          ],
        },
      ],
    };
    edit(s3);
    return { ...f, values: { ...f.values, extended_s3_configuration: [s3] } };
  });
}

describe('firehose-partitioning', () => {
  it('passes event-time partitioning as the stack plans it, and arrival-time prefixes without it', () => {
    expect(formatViolations(checkPlan(planOf(partitioned())))).toBe('');
    const arrival = partitioned((s3) => {
      s3.prefix = 'events/year=!{timestamp:yyyy}/';
      delete s3.dynamic_partitioning_configuration;
      delete s3.processing_configuration;
    });
    expect(formatViolations(checkPlan(planOf(arrival)))).toBe('');
  });

  const processors = (s3: Record<string, unknown>) =>
    (s3.processing_configuration as Array<{ processors: Array<{ parameters: Array<Record<string, unknown>> }> }>)[0]?.processors ?? [];
  it.each<[string, (s3: Record<string, unknown>) => void, string]>([
    [
      'partition keys with dynamic partitioning off',
      (s3) => void (s3.dynamic_partitioning_configuration = [{ enabled: false }]),
      'dynamic partitioning is off',
    ],
    [
      'no MetadataExtraction processor',
      (s3) => void (s3.processing_configuration = [{ enabled: true, processors: [] }]),
      'no enabled MetadataExtraction processor',
    ],
    [
      'the processing configuration disabled',
      (s3) =>
        void ((s3.processing_configuration as Array<Record<string, unknown>>)[0] = {
          ...(s3.processing_configuration as Array<Record<string, unknown>>)[0],
          enabled: false,
        }),
      'no enabled MetadataExtraction processor',
    ],
    [
      'another parsing engine',
      (s3) => void ((processors(s3)[0]?.parameters[0] as Record<string, unknown>).parameter_value = 'JQ-1.5'),
      'the MetadataExtraction engine is "JQ-1.5", not JQ-1.6',
    ],
    [
      'a key the query does not yield',
      (s3) => void ((processors(s3)[0]?.parameters[1] as Record<string, unknown>).parameter_value = '.event_date | {year: .[0:4]}'),
      "partition keys the MetadataExtractionQuery doesn't yield: hour",
    ],
    ['no partition key in the prefix', (s3) => void (s3.prefix = 'events/'), 'the prefix uses no !{partitionKeyFromQuery:…}'],
    [
      'no error output type in the error prefix',
      (s3) => void (s3.error_output_prefix = 'errors/'),
      'needs an error_output_prefix with !{firehose:error-output-type}',
    ],
    [
      'partition keys in the error prefix',
      (s3) => void (s3.error_output_prefix = 'errors/!{firehose:error-output-type}/!{partitionKeyFromQuery:year}/'),
      'the error_output_prefix uses partition keys',
    ],
    ['a 32 MiB buffer', (s3) => void (s3.buffering_size = 32), 'buffering_size is 32 MiB; dynamic partitioning needs at least 64'],
    ['zero buffering', (s3) => void (s3.buffering_interval = 0), 'buffering_interval is 0 s; dynamic partitioning has no zero buffering'],
  ])('fails %s, and only this rule does', (_, edit, message) => {
    const violations = checkPlan(planOf(partitioned(edit)));
    expect(violations.map((v) => v.rule)).toEqual(['firehose-partitioning']);
    expect(violations[0]).toMatchObject({ address: FIREHOSE, message: expect.stringContaining(message) });
  });

  it('does not guess at what only apply knows', () => {
    const plan = planOf(partitioned((s3) => void (s3.buffering_size = 1)));
    const firehose = plan.resource_changes?.find((rc) => rc.address === FIREHOSE);
    if (firehose) firehose.change.after_unknown = { extended_s3_configuration: [{ buffering_size: true }] };
    expect(checkPlan(plan)).toEqual([]);
  });
});
