import { isSet, isTrue, listAt, plannedResources, policyAt, targetsBucket, valueAt, type PlannedResource, type Statement, type TerraformPlan } from './plan';

/** One thing a rule found wrong, naming the resource. */
export interface Violation {
  rule: RuleId;
  address: string;
  message: string;
}

export type RuleId = 'encryption-at-rest' | 'public-access-blocked' | 'tls-only-bucket-policy' | 'log-retention' | 'no-wildcard-iam' | 'firehose-partitioning';

export interface PolicyRule {
  id: RuleId;
  description: string;
  check(plan: TerraformPlan): Violation[];
}

function violation(rule: RuleId, address: string, message: string): Violation {
  return { rule, address, message };
}

/** The bucket sub-resources of one type that configure `bucket`. */
function bucketConfigs(plan: TerraformPlan, type: string, bucket: PlannedResource): PlannedResource[] {
  return plannedResources(plan, type).filter((sub) => targetsBucket(plan, sub, bucket));
}

const SSE_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse', 'AES256']);

const encryptionAtRest: PolicyRule = {
  id: 'encryption-at-rest',
  description: 'Streams, buckets and query results are encrypted at rest; KMS keys rotate',
  check(plan) {
    const found: Violation[] = [];
    const flag = (r: PlannedResource, message: string) => found.push(violation('encryption-at-rest', r.address, message));
    for (const stream of plannedResources(plan, 'aws_kinesis_stream')) {
      const type = valueAt(stream, ['encryption_type']);
      if (type.known && type.value !== 'KMS') flag(stream, 'the stream is not encrypted: set encryption_type = "KMS" and a kms_key_id');
      else if (!isSet(stream, ['kms_key_id'])) flag(stream, 'the stream has encryption_type KMS but no kms_key_id');
    }
    for (const bucket of plannedResources(plan, 'aws_s3_bucket')) {
      const encrypted = bucketConfigs(plan, 'aws_s3_bucket_server_side_encryption_configuration', bucket).some((sse) =>
        listAt(sse, ['rule']).some((_, i) => {
          const algorithm = valueAt(sse, ['rule', i, 'apply_server_side_encryption_by_default', 0, 'sse_algorithm']);
          return !algorithm.known || SSE_ALGORITHMS.has(String(algorithm.value));
        }),
      );
      if (!encrypted) flag(bucket, 'the bucket has no default encryption: add an aws_s3_bucket_server_side_encryption_configuration (aws:kms)');
    }
    for (const workgroup of plannedResources(plan, 'aws_athena_workgroup')) {
      const config = ['configuration', 0];
      if (!isSet(workgroup, [...config, 'result_configuration', 0, 'encryption_configuration', 0, 'encryption_option'])) {
        flag(workgroup, 'query results are not encrypted: set result_configuration.encryption_configuration');
      }
      const enforced = valueAt(workgroup, [...config, 'enforce_workgroup_configuration']);
      if (enforced.known && enforced.value !== true) flag(workgroup, 'clients can override the result encryption: set enforce_workgroup_configuration = true');
    }
    for (const key of plannedResources(plan, 'aws_kms_key')) {
      const rotation = valueAt(key, ['enable_key_rotation']);
      if (rotation.known && rotation.value !== true) flag(key, 'the key does not rotate: set enable_key_rotation = true');
    }
    return found;
  },
};

const PUBLIC_ACCESS_BLOCKS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;

const publicAccessBlocked: PolicyRule = {
  id: 'public-access-blocked',
  description: 'Every bucket has all four public access blocks on',
  check(plan) {
    return plannedResources(plan, 'aws_s3_bucket').flatMap((bucket) => {
      const blocks = bucketConfigs(plan, 'aws_s3_bucket_public_access_block', bucket);
      if (blocks.length === 0) return [violation('public-access-blocked', bucket.address, 'the bucket has no aws_s3_bucket_public_access_block')];
      const off = PUBLIC_ACCESS_BLOCKS.filter((flag) => !blocks.some((b) => isTrue(b, [flag])));
      return off.length > 0 ? [violation('public-access-blocked', bucket.address, `public access is not fully blocked: ${off.join(', ')} must be true`)] : [];
    });
  },
};

function isEveryone(statement: Statement): boolean {
  return Object.values(statement.principals).some((ids) => ids.includes('*'));
}

/** A condition of a statement as the plan shows it. */
type Condition = Statement['conditions'][number];

/**
 * What every bucket policy must deny: each is its own statement (conditions in one statement must all hold, so a
 * further condition would narrow the deny), denying every S3 action to everyone, on the bucket and its objects.
 */
const REQUIRED_DENIES: ReadonlyArray<{ when: string; matches: (condition: Condition) => boolean }> = [
  {
    when: 'aws:SecureTransport is false',
    matches: (c) => c.test === 'Bool' && c.variable.toLowerCase() === 'aws:securetransport' && c.values.includes('false'),
  },
  {
    // Values of one condition are ORed: the deny covers TLS below 1.2 when one of them is 1.2 or more.
    when: 's3:TlsVersion is below 1.2 (NumericLessThan 1.2)',
    matches: (c) => c.test === 'NumericLessThan' && c.variable.toLowerCase() === 's3:tlsversion' && c.values.some((v) => v !== null && Number(v) >= 1.2),
  },
];

function deniesEveryRequestWhen(statement: Statement, matches: (condition: Condition) => boolean): boolean {
  return (
    statement.effect === 'Deny' &&
    isEveryone(statement) &&
    statement.actions.some((a) => a === '*' || a === 's3:*') &&
    statement.conditions.length > 0 &&
    statement.conditions.every(matches)
  );
}

/** The statement covers the bucket and its objects: by value when the ARN is known, else by what its `resources` reference. */
function coversBucket(statement: Statement, bucket: PlannedResource): boolean {
  const arn = valueAt(bucket, ['arn']);
  if (arn.known && typeof arn.value === 'string') return statement.resources.includes(arn.value) && statement.resources.includes(`${arn.value}/*`);
  return statement.resources.length >= 2 && statement.resourceReferences.includes(bucket.address);
}

const tlsOnlyBucketPolicy: PolicyRule = {
  id: 'tls-only-bucket-policy',
  description:
    'Every bucket policy denies requests without TLS (aws:SecureTransport = false) and with TLS below 1.2 (s3:TlsVersion NumericLessThan 1.2), on the bucket and its objects',
  check(plan) {
    return plannedResources(plan, 'aws_s3_bucket').flatMap((bucket) => {
      const statements = bucketConfigs(plan, 'aws_s3_bucket_policy', bucket).flatMap((p) => {
        const policy = policyAt(plan, p, 'policy');
        return 'statements' in policy ? policy.statements : [];
      });
      return REQUIRED_DENIES.filter(({ matches }) => !statements.some((s) => deniesEveryRequestWhen(s, matches) && coversBucket(s, bucket))).map(({ when }) =>
        violation('tls-only-bucket-policy', bucket.address, `no bucket policy statement denies s3:* to everyone when ${when}, on the bucket and its objects`),
      );
    });
  },
};

const logRetention: PolicyRule = {
  id: 'log-retention',
  description: 'Every log group expires its events (retention_in_days set, not 0 = forever)',
  check(plan) {
    return plannedResources(plan, 'aws_cloudwatch_log_group').flatMap((group) => {
      const days = valueAt(group, ['retention_in_days']);
      return days.known && (typeof days.value !== 'number' || days.value <= 0)
        ? [violation('log-retention', group.address, `log events are kept forever: set retention_in_days (got ${JSON.stringify(days.value)})`)]
        : [];
    });
  },
};

/** Where the stack's IAM policies live: the Firehose role's permissions and trust policy, and the bucket policy. */
const POLICY_ATTRIBUTES: ReadonlyArray<{ type: string; attribute: string }> = [
  { type: 'aws_iam_role_policy', attribute: 'policy' },
  { type: 'aws_iam_role', attribute: 'assume_role_policy' },
  { type: 'aws_s3_bucket_policy', attribute: 'policy' },
];

function wildcardProblems(statement: Statement): string[] {
  if (statement.effect !== 'Allow') return [];
  const problems: string[] = [];
  const label = statement.sid ?? 'a statement';
  const wildcards = statement.actions.filter((a) => a.includes('*'));
  if (wildcards.length > 0) problems.push(`${label} allows wildcard actions ${wildcards.join(', ')}: list the exact actions`);
  if (statement.notActions.length > 0) problems.push(`${label} allows everything except ${statement.notActions.join(', ')} (NotAction)`);
  if (statement.notResources.length > 0) problems.push(`${label} allows every resource except some (NotResource)`);
  // Every action the stack grants has resource-level permissions: "*" is never needed.
  if (statement.resources.includes('*')) problems.push(`${label} allows ${statement.actions.join(', ')} on every resource ("*"): name the ARNs`);
  if (isEveryone(statement)) problems.push(`${label} allows anyone ("*" principal)`);
  return problems;
}

const noWildcardIam: PolicyRule = {
  id: 'no-wildcard-iam',
  description:
    'No IAM or bucket policy allows a wildcard action, NotAction, NotResource, a "*" resource or a "*" principal; a policy the plan cannot show fails',
  check(plan) {
    const policies = POLICY_ATTRIBUTES.flatMap(({ type, attribute }) => plannedResources(plan, type).map((r) => policyAt(plan, r, attribute)));
    return policies.flatMap((policy) =>
      'unverifiable' in policy
        ? [violation('no-wildcard-iam', policy.address, `${policy.attribute} is ${policy.unverifiable}`)]
        : policy.statements.flatMap((statement) =>
            wildcardProblems(statement).map((problem) => violation('no-wildcard-iam', policy.address, `${policy.attribute}: ${problem}`)),
          ),
    );
  },
};

const S3 = ['extended_s3_configuration', 0] as const;
const PARTITION_KEY = /!\{partitionKeyFromQuery:([^}]*)\}/g;
/** What AWS requires of a delivery stream with dynamic partitioning (at create time, after a plan has passed). */
const MIN_PARTITIONED_BUFFER_MIB = 64;
const MIN_PARTITIONED_INTERVAL_SECONDS = 60;

/** The MetadataExtraction processor's parameters, by name, or undefined when there is no such processor. */
function metadataExtraction(firehose: PlannedResource): Record<string, unknown> | undefined {
  const processors = listAt(firehose, [...S3, 'processing_configuration', 0, 'processors']) as Array<Record<string, unknown>>;
  const processor = processors.find((p) => p.type === 'MetadataExtraction');
  if (!processor) return undefined;
  const parameters = (Array.isArray(processor.parameters) ? processor.parameters : []) as Array<Record<string, unknown>>;
  return Object.fromEntries(parameters.map((p) => [String(p.parameter_name), p.parameter_value]));
}

function partitioningProblems(firehose: PlannedResource): string[] {
  const prefix = valueAt(firehose, [...S3, 'prefix']);
  const errorPrefix = valueAt(firehose, [...S3, 'error_output_prefix']);
  const enabled = isTrue(firehose, [...S3, 'dynamic_partitioning_configuration', 0, 'enabled']);
  const keys = prefix.known && typeof prefix.value === 'string' ? [...prefix.value.matchAll(PARTITION_KEY)].map((m) => m[1] ?? '') : [];
  if (!enabled) return keys.length > 0 ? ['the prefix uses !{partitionKeyFromQuery:…} but dynamic partitioning is off: every record would fail'] : [];
  const problems: string[] = [];
  const extraction = metadataExtraction(firehose);
  if (!isTrue(firehose, [...S3, 'processing_configuration', 0, 'enabled']) || extraction === undefined) {
    problems.push('dynamic partitioning is on with no enabled MetadataExtraction processor: nothing computes the partition keys');
  } else {
    if (extraction.JsonParsingEngine !== 'JQ-1.6')
      problems.push(`the MetadataExtraction engine is ${JSON.stringify(extraction.JsonParsingEngine)}, not JQ-1.6 (the only one Firehose has)`);
    const query = typeof extraction.MetadataExtractionQuery === 'string' ? extraction.MetadataExtractionQuery : '';
    const missing = keys.filter((k) => !new RegExp(`[{,]\\s*${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(query));
    if (missing.length > 0) problems.push(`the prefix uses partition keys the MetadataExtractionQuery doesn't yield: ${missing.join(', ')}`);
  }
  if (keys.length === 0) problems.push('dynamic partitioning is on but the prefix uses no !{partitionKeyFromQuery:…}');
  if (errorPrefix.known && (typeof errorPrefix.value !== 'string' || !errorPrefix.value.includes('!{firehose:error-output-type}'))) {
    problems.push('dynamic partitioning needs an error_output_prefix with !{firehose:error-output-type}: failed records would have nowhere to go');
  } else if (errorPrefix.known && String(errorPrefix.value).includes('!{partitionKeyFromQuery:')) {
    problems.push('the error_output_prefix uses partition keys, which a record that failed the query doesn’t have');
  }
  const size = valueAt(firehose, [...S3, 'buffering_size']);
  if (size.known && typeof size.value === 'number' && size.value < MIN_PARTITIONED_BUFFER_MIB) {
    problems.push(`buffering_size is ${size.value} MiB; dynamic partitioning needs at least ${MIN_PARTITIONED_BUFFER_MIB}`);
  }
  const interval = valueAt(firehose, [...S3, 'buffering_interval']);
  if (interval.known && typeof interval.value === 'number' && interval.value < MIN_PARTITIONED_INTERVAL_SECONDS) {
    problems.push(`buffering_interval is ${interval.value} s; dynamic partitioning has no zero buffering (at least ${MIN_PARTITIONED_INTERVAL_SECONDS})`);
  }
  return problems;
}

const firehosePartitioning: PolicyRule = {
  id: 'firehose-partitioning',
  description:
    'A delivery stream with partition keys in its prefix has dynamic partitioning on, a JQ-1.6 MetadataExtraction that yields every key, an error prefix with the error output type and no keys, and buffering of at least 64 MiB and 60 s',
  check(plan) {
    return plannedResources(plan, 'aws_kinesis_firehose_delivery_stream').flatMap((firehose) =>
      partitioningProblems(firehose).map((problem) => violation('firehose-partitioning', firehose.address, problem)),
    );
  },
};

/** Every rule the offline plan check applies. */
export const POLICY_RULES: readonly PolicyRule[] = [
  encryptionAtRest,
  publicAccessBlocked,
  tlsOnlyBucketPolicy,
  logRetention,
  noWildcardIam,
  firehosePartitioning,
];

/** All violations of the rules in a plan; empty means the plan passes. */
export function checkPlan(plan: TerraformPlan, rules: readonly PolicyRule[] = POLICY_RULES): Violation[] {
  return rules.flatMap((rule) => rule.check(plan));
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `[${v.rule}] ${v.address}: ${v.message}`).join('\n');
}
