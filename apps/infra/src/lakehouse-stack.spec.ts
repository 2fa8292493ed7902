import { describe, expect, it } from 'vitest';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { glueColumns, jsonSerDeColumns } from '@lakehouse/schema';
import {
  MIN_CONVERSION_BUFFER_MIB,
  MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS,
  partitionKeyQuery,
  pipelineSettings,
  PIPELINE_METRICS,
  projectionLocationTail,
  STACK_OUTPUT_NAMES,
  TIME_PARTITIONS,
} from '@lakehouse/pipeline';
import type { StackConfig } from './config';
import { dashboardBody } from './constructs/dashboard';
import { only, ref, resourcesOf, synthStack, type Json } from './testing';

const ENVIRONMENTS = ['dev', 'prod'] as const;

/** What Firehose's role needs, per the Firehose developer guide ("Controlling access"): nothing more, nothing less. */
const FIREHOSE_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:GetShardIterator',
  'kinesis:GetRecords',
  'kinesis:ListShards',
  's3:AbortMultipartUpload',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:PutObject',
  'glue:GetTable',
  'glue:GetTableVersion',
  'glue:GetTableVersions',
  'logs:PutLogEvents',
  'kms:Decrypt',
  'kms:GenerateDataKey',
];

/** Terraform unescapes `$${` to a literal `${`: what AWS receives. */
function unescape(value: string): string {
  return value.replaceAll('$${', '${');
}

interface StackUnderTest {
  json: Json;
  config: StackConfig;
  settings: StackConfig['settings'];
  key: Json;
  bucket: Json;
  stream: Json;
  database: Json;
  table: Json;
  firehose: Json;
  logGroup: Json;
  logStream: Json;
  role: Json;
  workgroup: Json;
  /** The aws_iam_policy_document whose JSON a policy attribute is. */
  documentOf: (policy: string) => Json;
}

const synthesized = new Map<string, StackUnderTest>();

/** One environment's stack, synthesized once for every describe below, with its single resources by name. */
function stackUnderTest(env: string): StackUnderTest {
  const cached = synthesized.get(env);
  if (cached) return cached;
  const { json, config } = synthStack(env);
  const documents = resourcesOf(json, DataAwsIamPolicyDocument, 'data').map(([id, doc]) => ({ ...doc, address: `data.aws_iam_policy_document.${id}` }));
  const stack: StackUnderTest = {
    json,
    config,
    settings: config.settings,
    key: only(json, KmsKey),
    bucket: only(json, S3Bucket),
    stream: only(json, KinesisStream),
    database: only(json, GlueCatalogDatabase),
    table: only(json, GlueCatalogTable),
    firehose: only(json, KinesisFirehoseDeliveryStream),
    logGroup: only(json, CloudwatchLogGroup),
    logStream: only(json, CloudwatchLogStream),
    role: only(json, IamRole),
    workgroup: only(json, AthenaWorkgroup),
    documentOf: (policy) => documents.find((d) => policy === ref(d, 'json')),
  };
  synthesized.set(env, stack);
  return stack;
}

describe.each(ENVIRONMENTS)('lakehouse-%s: provider and state', (env) => {
  const { json, config } = stackUnderTest(env);
  it('tags every resource with project and environment through default_tags', () => {
    expect(json.provider.aws).toEqual([{ region: config.region, default_tags: [{ tags: { project: 'lakehouse', environment: env } }] }]);
  });

  it('keeps the offline-plan flags out of what users deploy', () => {
    const provider = JSON.stringify(json.provider);
    for (const flag of ['skip_credentials_validation', 'skip_requesting_account_id', 'skip_metadata_api_check', 'max_retries'])
      expect(provider).not.toContain(flag);
  });

  it('uses a local backend at an explicit path', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '/tmp/lakehouse-test/state.tfstate' } });
  });

  it('reads nothing from AWS at plan time but IAM policy documents', () => {
    expect(Object.keys(json.data)).toEqual(['aws_iam_policy_document']);
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: encryption key and stream', (env) => {
  const { json, config, settings, key, stream } = stackUnderTest(env);
  it('encrypts with a customer-managed key that rotates, under an alias', () => {
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: config.kms.deletionWindowDays });
    expect(key.policy).toBeUndefined(); // AWS's default: access decided by IAM, tested below
    expect(only(json, KmsAlias)).toMatchObject({ name: `alias/lakehouse-${env}`, target_key_id: ref(key, 'key_id') });
  });

  it('creates the Kinesis stream from the settings, KMS-encrypted', () => {
    expect(stream).toMatchObject({
      name: settings.streamName,
      encryption_type: 'KMS',
      kms_key_id: ref(key, 'arn'),
      retention_period: config.stream.retentionHours,
      stream_mode_details: { stream_mode: settings.capacity.mode },
    });
    expect(stream.shard_count).toBe(settings.capacity.mode === 'PROVISIONED' ? settings.capacity.shardCount : undefined);
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: lake bucket', (env) => {
  const { json, config, settings, key, bucket, documentOf } = stackUnderTest(env);
  it('is named from the shared prefix; force_destroy only where the environment allows', () => {
    expect(bucket).toMatchObject({ bucket_prefix: settings.bucketNamePrefix, force_destroy: env === 'dev' });
  });

  it('blocks all public access and disables ACLs', () => {
    expect(only(json, S3BucketPublicAccessBlock)).toMatchObject({
      bucket: ref(bucket, 'id'),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, S3BucketOwnershipControls)).toMatchObject({ bucket: ref(bucket, 'id'), rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('encrypts objects with the stack key (SSE-KMS) and an S3 Bucket Key', () => {
    expect(only(json, S3BucketServerSideEncryptionConfigurationA)).toMatchObject({
      bucket: ref(bucket, 'id'),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref(key, 'arn') }, bucket_key_enabled: true }],
    });
  });

  it('versions objects per config', () => {
    expect(only(json, S3BucketVersioningA).versioning_configuration).toEqual({ status: config.lake.versioning ? 'Enabled' : 'Suspended' });
    expect(config.lake.versioning).toBe(env === 'prod');
  });

  it('expires error output and Athena results, and aborts stale uploads', () => {
    const rules = only(json, S3BucketLifecycleConfiguration).rule as Json[];
    const byPrefix = Object.fromEntries(rules.map((r) => [r.filter[0].prefix ?? '(all)', r]));
    expect(byPrefix[settings.errorPrefix].expiration).toEqual([{ days: config.lake.errorOutputExpirationDays }]);
    expect(byPrefix[settings.athenaResultsPrefix].expiration).toEqual([{ days: config.lake.athenaResultsExpirationDays }]);
    expect(byPrefix['(all)'].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: config.lake.abortIncompleteUploadDays }]);
    expect(rules.every((r) => r.status === 'Enabled')).toBe(true);
    // The lake's data itself never expires by a rule.
    expect(rules.some((r) => r.filter[0].prefix === settings.dataPrefix)).toBe(false);
  });

  const bucketPolicy = only(json, S3BucketPolicy);
  const denies = documentOf(bucketPolicy.policy).statement as Json[];

  it('has a policy of two denies and nothing else: without TLS, and with TLS < 1.2', () => {
    expect(bucketPolicy.bucket).toBe(ref(bucket, 'id'));
    expect(denies.map((s) => [s.sid, s.effect])).toEqual([
      ['DenyInsecureTransport', 'Deny'],
      ['DenyOutdatedTls', 'Deny'],
    ]);
  });

  // Two statements, not one with both conditions: the conditions of one statement must all hold at once.
  it.each([
    ['DenyInsecureTransport', 'without TLS', { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    ['DenyOutdatedTls', 'with TLS below 1.2', { test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }],
  ])('%s denies every S3 request %s, by anyone, on the bucket and its objects', (sid, _, condition) => {
    expect(denies.find((s) => s.sid === sid)).toEqual({
      sid,
      effect: 'Deny',
      principals: [{ type: 'AWS', identifiers: ['*'] }],
      actions: ['s3:*'],
      resources: [ref(bucket, 'arn'), `${ref(bucket, 'arn')}/*`],
      condition: [condition],
    });
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: Glue catalog', (env) => {
  const { settings, bucket, database, table } = stackUnderTest(env);
  it('types the columns exactly as libs/schema derives them', () => {
    expect(database.name).toBe(settings.databaseName);
    expect(table.storage_descriptor.columns).toEqual(glueColumns());
    expect(table.storage_descriptor.columns.map((c: Json) => c.type)).toEqual(expect.arrayContaining(['timestamp', 'bigint', 'string']));
  });

  it('is a Parquet table under the data prefix of the real bucket', () => {
    expect(table).toMatchObject({ name: settings.tableName, database_name: ref(database, 'name'), table_type: 'EXTERNAL_TABLE' });
    expect(table.storage_descriptor).toMatchObject({
      location: `s3://${ref(bucket, 'bucket')}/${settings.dataPrefix}`,
      input_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      output_format: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      ser_de_info: { serialization_library: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    });
  });

  it('partitions by the keys Firehose’s prefix writes, and projects them onto the same folders', () => {
    const partitionKeys = table.partition_keys.map((k: Json) => k.name);
    const prefixKeys = [...settings.firehosePrefix.matchAll(/(\w+)=!\{(?:timestamp|partitionKeyFromQuery):/g)].map((m) => m[1]);
    const template = unescape(table.parameters['storage.location.template']);
    const templateKeys = [...template.matchAll(/(\w+)=\$\{(\w+)\}/g)].map((m) => [m[1], m[2]]);
    expect(partitionKeys).toEqual(TIME_PARTITIONS.map((p) => p.name));
    expect(table.partition_keys.every((k: Json) => k.type === 'int')).toBe(true);
    expect(prefixKeys).toEqual(partitionKeys);
    expect(templateKeys).toEqual(partitionKeys.map((k: string) => [k, k]));
    expect(template).toBe(`${table.storage_descriptor.location}${projectionLocationTail()}`);
    expect(settings.firehosePrefix.startsWith(settings.dataPrefix)).toBe(true);
    expect(table.parameters['projection.enabled']).toBe('true');
    for (const p of TIME_PARTITIONS) expect(table.parameters[`projection.${p.name}.range`]).toBe(`${p.range[0]},${p.range[1]}`);
  });

  it('escapes Athena’s ${…} placeholders from Terraform, and only those', () => {
    expect(table.parameters['storage.location.template']).toMatch(/^s3:\/\/\$\{aws_s3_bucket\.[^}]+\.bucket\}\/events\/year=\$\$\{year\}\//);
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: Firehose', (env) => {
  const { json, config, settings, key, bucket, stream, database, table, firehose, logGroup, logStream, role } = stackUnderTest(env);
  it('reads the stream and writes the bucket with the role', () => {
    expect(firehose).toMatchObject({
      name: settings.deliveryStreamName,
      destination: 'extended_s3',
      kinesis_source_configuration: { kinesis_stream_arn: ref(stream, 'arn'), role_arn: ref(role, 'arn') },
    });
    expect(firehose.depends_on).toEqual([only(json, IamRolePolicy).address]);
  });

  it('writes Parquet under the shared prefixes, buffered as the settings say', () => {
    const s3 = firehose.extended_s3_configuration;
    expect(s3).toMatchObject({
      bucket_arn: ref(bucket, 'arn'),
      role_arn: ref(role, 'arn'),
      prefix: settings.firehosePrefix,
      error_output_prefix: settings.errorOutputPrefix,
      file_extension: '.parquet',
      buffering_size: settings.buffering.sizeMiB,
      buffering_interval: settings.buffering.intervalSeconds,
      compression_format: 'UNCOMPRESSED',
      kms_key_arn: ref(key, 'arn'),
      cloudwatch_logging_options: { enabled: true, log_group_name: ref(logGroup, 'name'), log_stream_name: ref(logStream, 'name') },
    });
    expect(s3.file_extension).toBe(settings.fileExtension);
    expect(s3.buffering_size).toBeGreaterThanOrEqual(MIN_CONVERSION_BUFFER_MIB);
    expect(s3.error_output_prefix).toContain('!{firehose:error-output-type}');
  });

  it('converts OpenX JSON to SNAPPY Parquet with the Glue table’s latest schema', () => {
    const conversion = firehose.extended_s3_configuration.data_format_conversion_configuration;
    expect(conversion).toEqual({
      enabled: true,
      input_format_configuration: { deserializer: { open_x_json_ser_de: { convert_dots_in_json_keys_to_underscores: false } } },
      output_format_configuration: { serializer: { parquet_ser_de: { compression: 'SNAPPY' } } },
      schema_configuration: {
        catalog_id: ref(database, 'catalog_id'),
        database_name: ref(database, 'name'),
        table_name: ref(table, 'name'),
        region: config.region,
        role_arn: ref(role, 'arn'),
        version_id: 'LATEST',
      },
    });
    // Every JSON key is its column's name, so the SerDe needs no mappings.
    expect(jsonSerDeColumns().columnToJsonKeyMappings).toEqual({});
  });

  it(`partitions by ${settings.partitioning === 'event-time' ? 'event time, with dynamic partitioning and a JQ 1.6 MetadataExtraction' : 'arrival time, without dynamic partitioning'}`, () => {
    const s3 = firehose.extended_s3_configuration;
    if (settings.partitioning === 'event-time') {
      expect(s3.dynamic_partitioning_configuration).toEqual({ enabled: true, retry_duration: config.firehose.partitionedDeliveryRetrySeconds });
      expect(s3.processing_configuration).toEqual({
        enabled: true,
        processors: [
          {
            type: 'MetadataExtraction',
            parameters: [
              { parameter_name: 'JsonParsingEngine', parameter_value: 'JQ-1.6' },
              { parameter_name: 'MetadataExtractionQuery', parameter_value: partitionKeyQuery() },
            ],
          },
        ],
      });
      expect(s3.prefix).toContain('!{partitionKeyFromQuery:');
      // AWS's requirements with dynamic partitioning: a 64 MiB buffer at least, no zero buffering.
      expect(s3.buffering_size).toBeGreaterThanOrEqual(64);
      expect(s3.buffering_interval).toBeGreaterThanOrEqual(MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS);
    } else {
      expect(s3.dynamic_partitioning_configuration).toBeUndefined();
      expect(s3.processing_configuration).toBeUndefined();
      expect(s3.prefix).not.toContain('partitionKeyFromQuery');
    }
    // Partition keys can't name the folder of a record the query failed on: the error prefix stays on arrival time.
    expect(s3.error_output_prefix).not.toContain('partitionKeyFromQuery');
  });

  it('logs to a log group with a retention', () => {
    expect(logGroup).toMatchObject({ name: `/aws/kinesisfirehose/${settings.deliveryStreamName}`, retention_in_days: config.logs.retentionDays });
    expect(logStream).toMatchObject({ log_group_name: ref(logGroup, 'name') });
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: Firehose role: least privilege', (env) => {
  const { json, config, settings, key, bucket, stream, database, table, logStream, role, documentOf } = stackUnderTest(env);
  const permissions = documentOf(only(json, IamRolePolicy).policy);
  const statements = permissions.statement as Json[];

  it('is assumable by Firehose only, for this account', () => {
    const trust = documentOf(role.assume_role_policy);
    expect(trust.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['firehose.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: [`\${element(split(":", ${key.address}.arn), 4)}`] }],
      },
    ]);
  });

  it('grants exactly the actions Firehose needs, none with a wildcard', () => {
    const actions = statements.flatMap((s) => s.actions as string[]);
    expect(new Set(actions)).toEqual(new Set(FIREHOSE_ACTIONS));
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(statements.every((s) => s.effect === 'Allow' && s.not_actions === undefined && s.not_resources === undefined)).toBe(true);
  });

  it('names only the stack’s own ARNs, objects only under the data and error prefixes', () => {
    const own = new Set(Object.entries(json.resource).flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`)));
    const refPattern = /\$\{(?:element\(split\(":", )?(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+(?:\), \d\))?\}/g;
    const allowed = [
      /^REF$/,
      new RegExp(`^REF/(${settings.dataPrefix}|${settings.errorPrefix})\\*$`),
      new RegExp(`^arn:REF:glue:${config.region}:REF:catalog$`),
    ];
    const resources = statements.flatMap((s) => s.resources as string[]);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      for (const m of resource.matchAll(refPattern)) expect(own).toContain(m[1]);
      const shape = resource.replace(refPattern, 'REF');
      expect(
        allowed.some((pattern) => pattern.test(shape)),
        resource,
      ).toBe(true);
    }
  });

  it.each([
    ['ReadSourceStream', (s: Json) => s.resources, () => [ref(stream, 'arn')]],
    ['ListLakeBucket', (s: Json) => s.resources, () => [ref(bucket, 'arn')]],
    ['WriteLakeObjects', (s: Json) => s.resources, () => [`${ref(bucket, 'arn')}/${settings.dataPrefix}*`, `${ref(bucket, 'arn')}/${settings.errorPrefix}*`]],
    ['WriteDeliveryLog', (s: Json) => s.resources, () => [ref(logStream, 'arn')]],
    ['ReadTableSchema', (s: Json) => s.resources.slice(1), () => [ref(database, 'arn'), ref(table, 'arn')]],
  ])('%s is on its own resource', (sid, pick, expected) => {
    expect(pick(statements.find((s) => s.sid === sid))).toEqual(expected());
  });

  it('uses the key only through Kinesis and S3 (kms:ViaService), for the lake’s objects', () => {
    const kms = statements.filter((s) => s.actions.some((a: string) => a.startsWith('kms:')));
    expect(kms.map((s) => [s.resources, s.condition.find((c: Json) => c.variable === 'kms:ViaService').values])).toEqual([
      [[ref(key, 'arn')], [`kinesis.${config.region}.amazonaws.com`]],
      [[ref(key, 'arn')], [`s3.${config.region}.amazonaws.com`]],
    ]);
    // The bucket's ARN (with an S3 Bucket Key) or an object's under the data and error prefixes: no other object.
    const context = kms[1].condition.find((c: Json) => c.variable === 'kms:EncryptionContext:aws:s3:arn');
    expect(context.values).toEqual([ref(bucket, 'arn'), `${ref(bucket, 'arn')}/${settings.dataPrefix}*`, `${ref(bucket, 'arn')}/${settings.errorPrefix}*`]);
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: Athena', (env) => {
  const { json, config, settings, key, bucket, database, table, workgroup } = stackUnderTest(env);
  it('enforces encrypted results in their own prefix and a bytes-scanned cutoff', () => {
    expect(workgroup).toMatchObject({
      name: settings.workgroupName,
      force_destroy: config.forceDestroy,
      configuration: {
        enforce_workgroup_configuration: true,
        bytes_scanned_cutoff_per_query: config.athena.bytesScannedCutoffPerQuery,
        result_configuration: {
          output_location: `s3://${ref(bucket, 'bucket')}/${settings.athenaResultsPrefix}`,
          encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: ref(key, 'arn') },
        },
      },
    });
  });

  it('saves the everyday questions as named queries on the table', () => {
    const queries = resourcesOf(json, AthenaNamedQuery).map(([, q]) => q);
    expect(queries.map((q) => q.name).sort()).toEqual(['count-by-status', 'events-per-hour', 'latest-events', 'row-count']);
    for (const q of queries) {
      expect(q).toMatchObject({ database: ref(database, 'name'), workgroup: ref(workgroup, 'name') });
      expect(q.query).toContain(`"${ref(database, 'name')}"."${ref(table, 'name')}"`);
    }
  });

  it('names only columns the table has', () => {
    const columns = new Set([...glueColumns(), ...TIME_PARTITIONS].map((c) => c.name));
    const sql = new Set(['select', 'count', 'as', 'from', 'group', 'by', 'order', 'desc', 'where', 'and', 'limit', 'current_date', 'row_count', 'events']);
    for (const [, q] of resourcesOf(json, AthenaNamedQuery)) {
      const words = (q.query as string).replace(/"[^"]*"/g, '').match(/[a-z_]+/gi) ?? [];
      const unknown = words.filter((w) => !sql.has(w.toLowerCase()) && !columns.has(w));
      expect(unknown, q.query).toEqual([]);
    }
  });
});

describe.each(ENVIRONMENTS)('lakehouse-%s: alarms and outputs', (env) => {
  const { json, config, settings, bucket, stream, database, table, firehose, workgroup } = stackUnderTest(env);
  it('alarms on stream iterator age and throttling, and on Firehose freshness and failures', () => {
    const alarms = resourcesOf(json, CloudwatchMetricAlarm).map(([, a]) => a);
    const byMetric = Object.fromEntries(alarms.map((a) => [a.metric_name, a]));
    expect(Object.keys(byMetric).sort()).toEqual(
      [
        'DeliveryToS3.DataFreshness',
        'DeliveryToS3.Success',
        'FailedConversion.Records',
        'GetRecords.IteratorAgeMilliseconds',
        'WriteProvisionedThroughputExceeded',
      ].sort(),
    );
    for (const metric of ['GetRecords.IteratorAgeMilliseconds', 'WriteProvisionedThroughputExceeded']) {
      expect(byMetric[metric]).toMatchObject({ namespace: 'AWS/Kinesis', dimensions: { StreamName: stream.name } });
    }
    for (const metric of ['DeliveryToS3.DataFreshness', 'DeliveryToS3.Success', 'FailedConversion.Records']) {
      expect(byMetric[metric]).toMatchObject({ namespace: 'AWS/Firehose', dimensions: { DeliveryStreamName: firehose.name } });
    }
    expect(byMetric['DeliveryToS3.DataFreshness'].threshold).toBeGreaterThan(settings.buffering.intervalSeconds);
    expect(byMetric['GetRecords.IteratorAgeMilliseconds'].threshold).toBe(config.alarms.iteratorAgeMaxSeconds * 1000);
    expect(alarms.every((a) => a.treat_missing_data === 'notBreaching')).toBe(true);
  });

  it('graphs the metrics the local console graphs, under the same titles, then the alarms', () => {
    const dashboard = only(json, CloudwatchDashboard);
    expect(dashboard.dashboard_name).toBe(`lakehouse-${env}-pipeline`);
    // The body is Terraform's jsonencode of the widgets (the alarm ARNs are known at apply time).
    const widgets = dashboardBody(config, ['ALARM']).widgets as Json[];
    expect(dashboard.dashboard_body).toMatch(/^\$\{jsonencode\(/);
    const graphs = widgets.filter((w) => w.type === 'metric').map((w) => w.properties);
    const eventTime = settings.partitioning === 'event-time';
    // The dynamic-partitioning metrics exist only with event-time partitioning: arrival-time stacks leave them out.
    const published = PIPELINE_METRICS.filter((m) => m.namespace !== 'local' && (!('partitioning' in m) || eventTime));
    expect(graphs.map((g) => g.title)).toEqual(published.map((m) => m.title));
    expect(graphs.map((g) => g.metrics[0])).toEqual([
      ['AWS/Kinesis', 'IncomingRecords', 'StreamName', settings.streamName],
      ['AWS/Kinesis', 'IncomingBytes', 'StreamName', settings.streamName],
      ['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', 'StreamName', settings.streamName],
      ['AWS/Firehose', 'DeliveryToS3.Records', 'DeliveryStreamName', settings.deliveryStreamName],
      ['AWS/Firehose', 'DeliveryToS3.Bytes', 'DeliveryStreamName', settings.deliveryStreamName],
      ['AWS/Firehose', 'DeliveryToS3.DataFreshness', 'DeliveryStreamName', settings.deliveryStreamName],
      ['AWS/Firehose', 'SucceedConversion.Records', 'DeliveryStreamName', settings.deliveryStreamName],
      ['AWS/Firehose', 'FailedConversion.Records', 'DeliveryStreamName', settings.deliveryStreamName],
      ...(eventTime
        ? [
            ['AWS/Firehose', 'PartitionCount', 'DeliveryStreamName', settings.deliveryStreamName],
            ['AWS/Firehose', 'PartitionCountExceeded', 'DeliveryStreamName', settings.deliveryStreamName],
            ['AWS/Firehose', 'JQProcessing.Duration', 'DeliveryStreamName', settings.deliveryStreamName],
          ]
        : []),
    ]);
    expect(graphs.map((g) => g.stat)).toEqual([
      'Sum',
      'Sum',
      'Maximum',
      'Sum',
      'Sum',
      'Maximum',
      'Sum',
      'Sum',
      ...(eventTime ? ['Maximum', 'Maximum', 'Maximum'] : []),
    ]);
    expect(graphs.every((g) => g.region === config.region && g.period === 60)).toBe(true);
    // Three a row on the 24-wide grid, none overlapping; the alarms below them all.
    const cells = widgets.map((w) => `${w.x},${w.y}`);
    expect(new Set(cells).size).toBe(widgets.length);
    expect(widgets.every((w) => w.x + w.width <= 24)).toBe(true);
    expect(widgets.at(-1)).toMatchObject({ type: 'alarm', y: eventTime ? 24 : 18, properties: { alarms: ['ALARM'] } });
    // Inside jsonencode the alarm ARNs are references: "alarms" = [aws_cloudwatch_metric_alarm.<id>.arn, …].
    const arns = resourcesOf(json, CloudwatchMetricAlarm).map(([id]) => `aws_cloudwatch_metric_alarm.${id}.arn`);
    const listed = /"alarms" = \[([^\]]*)\]/.exec(dashboard.dashboard_body as string)?.[1]?.split(', ');
    expect(listed?.sort()).toEqual(arns.sort());
    expect(arns).toHaveLength(5);
  });

  it('outputs what the producer and the query tool read, and the dashboard’s address for people', () => {
    const { dashboard_url: dashboardUrl, ...tools } = json.output as Record<string, Json>;
    expect(Object.keys(tools).sort()).toEqual([...STACK_OUTPUT_NAMES].sort());
    expect(dashboardUrl?.value).toBe(
      `https://${config.region}.console.aws.amazon.com/cloudwatch/home?region=${config.region}#dashboards/dashboard/lakehouse-${env}-pipeline`,
    );
    expect(Object.fromEntries(Object.entries(tools).map(([name, o]) => [name, (o as Json).value]))).toEqual({
      region: config.region,
      stream_name: ref(stream, 'name'),
      stream_arn: ref(stream, 'arn'),
      bucket: ref(bucket, 'bucket'),
      database: ref(database, 'name'),
      table: ref(table, 'name'),
      workgroup: ref(workgroup, 'name'),
    });
  });
});

const GIB = 1024 ** 3;

/**
 * Each environment's settings as apps/infra/README.md documents them ("Configuration"), written out as literals so
 * that a change to config.ts or @lakehouse/pipeline that the README does not show fails here. `qa` stands for any
 * environment without defaults of its own: the README's "secure default" column.
 */
const DOCUMENTED_SETTINGS = [
  {
    environment: 'dev',
    stream: { mode: 'PROVISIONED', shards: 2, retentionHours: 24 },
    buffering: { sizeMiB: 128, intervalSeconds: 60 },
    partitioning: { mode: 'event-time', retrySeconds: 3600 },
    forceDestroy: { bucket: true, workgroup: true },
    lake: { versioning: 'Suspended', noncurrentVersionDays: 30, errorOutputDays: 14, athenaResultsDays: 3, abortUploadsDays: 1 },
    logRetentionDays: 14,
    athenaCutoffBytes: 1 * GIB,
    kmsDeletionWindowDays: 7,
    // Dynamic partitioning's multi-stage buffering may take 1.5 × the interval.
    alarms: { iteratorAgeMs: 1_800_000, dataFreshnessSeconds: 90 + 600, actions: [] },
  },
  {
    environment: 'prod',
    stream: { mode: 'ON_DEMAND', shards: undefined, retentionHours: 168 },
    buffering: { sizeMiB: 128, intervalSeconds: 300 },
    partitioning: { mode: 'arrival', retrySeconds: undefined },
    forceDestroy: { bucket: false, workgroup: false },
    lake: { versioning: 'Enabled', noncurrentVersionDays: 30, errorOutputDays: 30, athenaResultsDays: 7, abortUploadsDays: 1 },
    logRetentionDays: 90,
    athenaCutoffBytes: 10 * GIB,
    kmsDeletionWindowDays: 30,
    alarms: { iteratorAgeMs: 600_000, dataFreshnessSeconds: 300 + 600, actions: [] },
  },
  {
    environment: 'qa',
    stream: { mode: 'ON_DEMAND', shards: undefined, retentionHours: 24 },
    buffering: { sizeMiB: 128, intervalSeconds: 300 },
    partitioning: { mode: 'arrival', retrySeconds: undefined },
    forceDestroy: { bucket: false, workgroup: false },
    lake: { versioning: 'Enabled', noncurrentVersionDays: 30, errorOutputDays: 30, athenaResultsDays: 7, abortUploadsDays: 1 },
    logRetentionDays: 30,
    athenaCutoffBytes: 1 * GIB,
    kmsDeletionWindowDays: 30,
    alarms: { iteratorAgeMs: 600_000, dataFreshnessSeconds: 300 + 600, actions: [] },
  },
] as const;

/** The lifecycle rule of a bucket-wide filter (`filter: [{}]`), or the one under a prefix. */
function lifecycleRule(json: Json, prefix?: string): Json {
  return (only(json, S3BucketLifecycleConfiguration).rule as Json[]).find((r) => r.filter[0].prefix === prefix);
}

/** The same settings, read back from the synthesized JSON. */
function synthesizedSettings(json: Json): unknown {
  const stream = only(json, KinesisStream);
  const s3 = only(json, KinesisFirehoseDeliveryStream).extended_s3_configuration;
  const alarms = Object.fromEntries(resourcesOf(json, CloudwatchMetricAlarm).map(([, a]) => [a.metric_name, a]));
  return {
    environment: json.provider.aws[0].default_tags[0].tags.environment,
    stream: { mode: stream.stream_mode_details.stream_mode, shards: stream.shard_count, retentionHours: stream.retention_period },
    buffering: { sizeMiB: s3.buffering_size, intervalSeconds: s3.buffering_interval },
    partitioning: {
      mode: s3.dynamic_partitioning_configuration?.enabled ? 'event-time' : 'arrival',
      retrySeconds: s3.dynamic_partitioning_configuration?.retry_duration,
    },
    forceDestroy: { bucket: only(json, S3Bucket).force_destroy, workgroup: only(json, AthenaWorkgroup).force_destroy },
    lake: {
      versioning: only(json, S3BucketVersioningA).versioning_configuration.status,
      noncurrentVersionDays: lifecycleRule(json).noncurrent_version_expiration[0].noncurrent_days,
      errorOutputDays: lifecycleRule(json, 'errors/').expiration[0].days,
      athenaResultsDays: lifecycleRule(json, 'athena-results/').expiration[0].days,
      abortUploadsDays: lifecycleRule(json).abort_incomplete_multipart_upload[0].days_after_initiation,
    },
    logRetentionDays: only(json, CloudwatchLogGroup).retention_in_days,
    athenaCutoffBytes: only(json, AthenaWorkgroup).configuration.bytes_scanned_cutoff_per_query,
    kmsDeletionWindowDays: only(json, KmsKey).deletion_window_in_days,
    alarms: {
      iteratorAgeMs: alarms['GetRecords.IteratorAgeMilliseconds'].threshold,
      dataFreshnessSeconds: alarms['DeliveryToS3.DataFreshness'].threshold,
      actions: alarms['DeliveryToS3.DataFreshness'].alarm_actions,
    },
  };
}

describe.each(ENVIRONMENTS)('lakehouse-%s: Athena’s DuckDB engine, when asked for', (env) => {
  const workgroups = (json: Json) => resourcesOf(json, AthenaWorkgroup).map(([, w]) => w);

  it('is off by default: one workgroup, on engine v3 by AUTO, and no duckdb_workgroup output', () => {
    const { json } = stackUnderTest(env);
    expect(workgroups(json).map((w) => w.configuration.engine_version.selected_engine_version)).toEqual(['AUTO']);
    expect(json.output).not.toHaveProperty('duckdb_workgroup');
  });

  it('adds a second workgroup on DuckDB, its results encrypted with the stack’s key under their own prefix, and its output', () => {
    const { json, config } = synthStack(env, { athena: { duckdbWorkgroup: true } });
    const [bucket, key] = [only(json, S3Bucket), only(json, KmsKey)];
    const duckdb = workgroups(json).find((w) => w.configuration.engine_version.selected_engine_version === 'DuckDB');
    expect(duckdb).toEqual({
      name: `${config.settings.workgroupName}-duckdb`,
      description: expect.stringContaining('preview'),
      force_destroy: config.forceDestroy,
      configuration: {
        enforce_workgroup_configuration: true,
        publish_cloudwatch_metrics_enabled: true,
        engine_version: { selected_engine_version: 'DuckDB' },
        result_configuration: {
          output_location: `s3://${ref(bucket, 'bucket')}/${config.settings.athenaResultsPrefix}duckdb/`,
          encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: ref(key, 'arn') },
        },
      },
    });
    const address = resourcesOf(json, AthenaWorkgroup).find(([, w]) => w === duckdb)?.[0];
    expect(json.output.duckdb_workgroup.value).toBe(`\${aws_athena_workgroup.${address}.name}`);
    // The stack's own workgroup and every other resource stay as they were.
    expect(workgroups(json).filter((w) => w !== duckdb)).toEqual(workgroups(stackUnderTest(env).json));
  });
});

describe('what apps/infra/README.md documents per environment', () => {
  it.each(DOCUMENTED_SETTINGS.map((d) => [d.environment, d] as const))('lakehouse-%s synthesizes the documented settings', (environment, documented) => {
    expect(synthesizedSettings(synthStack(environment).json)).toEqual(documented);
  });

  const versioned = DOCUMENTED_SETTINGS.filter((d) => d.lake.versioning === 'Enabled').map((d) => d.environment);
  it.each(versioned)('lakehouse-%s expires old object versions after 30 days, bucket-wide', (environment) => {
    const { json } = synthStack(environment);
    expect(only(json, S3BucketVersioningA).versioning_configuration).toEqual({ status: 'Enabled' });
    expect(lifecycleRule(json)).toMatchObject({ status: 'Enabled', filter: [{}], noncurrent_version_expiration: [{ noncurrent_days: 30 }] });
  });
});

describe('Terraform addresses', () => {
  // A changed construct id renames the resource in Terraform: the next deploy destroys and recreates it (the
  // bucket, the key, the stream). These are the addresses deployed stacks have.
  it.each(ENVIRONMENTS)('lakehouse-%s keeps the addresses of every deployed resource', (env) => {
    const { json } = stackUnderTest(env);
    const addresses = Object.entries(json.resource as Record<string, object>).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`));
    expect(addresses.sort()).toEqual([
      'aws_athena_named_query.query_count-by-status_3EB1C702',
      'aws_athena_named_query.query_events-per-hour_613072B0',
      'aws_athena_named_query.query_latest-events_2A36DB5F',
      'aws_athena_named_query.query_row-count_1384929F',
      'aws_athena_workgroup.query_workgroup_1031FA1C',
      'aws_cloudwatch_dashboard.dashboard_9E73CAB7',
      'aws_cloudwatch_log_group.delivery_log_group_664769EF',
      'aws_cloudwatch_log_stream.delivery_log_stream_ED5AC553',
      'aws_cloudwatch_metric_alarm.alarms_delivery-conversion-failures_EA0FFB37',
      'aws_cloudwatch_metric_alarm.alarms_delivery-data-freshness_C8709638',
      'aws_cloudwatch_metric_alarm.alarms_delivery-failures_EC36ED7C',
      'aws_cloudwatch_metric_alarm.alarms_stream-iterator-age_7CB736AF',
      'aws_cloudwatch_metric_alarm.alarms_stream-write-throttled_A58F9EA7',
      'aws_glue_catalog_database.catalog_database_4C1F6EE3',
      'aws_glue_catalog_table.catalog_table_C570CFA0',
      'aws_iam_role.delivery_role_B8AC8F96',
      'aws_iam_role_policy.delivery_role_policy_BF6BF184',
      'aws_kinesis_firehose_delivery_stream.delivery_delivery_stream_623823D1',
      'aws_kinesis_stream.source_stream_FCDFD954',
      'aws_kms_alias.encryption_alias_F6F0D85B',
      'aws_kms_key.encryption_key_EEB70057',
      'aws_s3_bucket.lake_bucket_7B773D1A',
      'aws_s3_bucket_lifecycle_configuration.lake_lifecycle_0B6E62BD',
      'aws_s3_bucket_ownership_controls.lake_ownership_D2769C50',
      'aws_s3_bucket_policy.lake_policy_86ED2B2E',
      'aws_s3_bucket_public_access_block.lake_public_access_block_C4E537D8',
      'aws_s3_bucket_server_side_encryption_configuration.lake_encryption_15554011',
      'aws_s3_bucket_versioning.lake_versioning_CBDCED3A',
    ]);
  });
});

describe('configuration reaches the stack', () => {
  it('uses an S3 backend with lockfile locking when configured', () => {
    const { json } = synthStack(
      'dev',
      {},
      { type: 's3', bucket: 'my-state', key: 'lakehouse/lakehouse-dev.tfstate', region: 'eu-central-1', useLockfile: true, encrypt: true },
    );
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'my-state', key: 'lakehouse/lakehouse-dev.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true },
    });
  });

  it('sends alarms to the configured actions', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:alerts';
    const { json } = synthStack('prod', { alarms: { actions: [topic] } });
    for (const [, alarm] of resourcesOf(json, CloudwatchMetricAlarm)) expect(alarm).toMatchObject({ alarm_actions: [topic], ok_actions: [topic] });
  });

  it('follows the pipeline’s partitioning override, and the retry duration’s', () => {
    const eventTime = only(
      synthStack('prod', { pipeline: { partitioning: 'event-time' }, firehose: { partitionedDeliveryRetrySeconds: 600 } }).json,
      KinesisFirehoseDeliveryStream,
    );
    expect(eventTime.extended_s3_configuration.dynamic_partitioning_configuration).toEqual({ enabled: true, retry_duration: 600 });
    const arrival = only(synthStack('dev', { pipeline: { partitioning: 'arrival' } }).json, KinesisFirehoseDeliveryStream);
    expect(arrival.extended_s3_configuration.dynamic_partitioning_configuration).toBeUndefined();
  });

  it('follows the pipeline’s capacity and buffering overrides', () => {
    const { json } = synthStack('qa', { pipeline: { capacity: { mode: 'PROVISIONED', shardCount: 8 }, buffering: { sizeMiB: 64, intervalSeconds: 120 } } });
    expect(only(json, KinesisStream)).toMatchObject({ name: 'lakehouse-qa-events', shard_count: 8 });
    expect(only(json, KinesisFirehoseDeliveryStream).extended_s3_configuration).toMatchObject({ buffering_size: 64, buffering_interval: 120 });
  });
});

/** The folder a prefix puts a record in, with Firehose's partition keys (`keys`) and arrival time (UTC). */
function folderOf(prefix: string, keys: Record<string, string>, arrival: Date): string {
  const pad = (n: number, digits: number) => String(n).padStart(digits, '0');
  const timestamp: Record<string, string> = {
    yyyy: pad(arrival.getUTCFullYear(), 4),
    MM: pad(arrival.getUTCMonth() + 1, 2),
    dd: pad(arrival.getUTCDate(), 2),
    HH: pad(arrival.getUTCHours(), 2),
  };
  return prefix.replaceAll(/!\{(timestamp|partitionKeyFromQuery):([^}]+)\}/g, (_, namespace: string, value: string) => {
    const found = namespace === 'timestamp' ? timestamp[value] : keys[value];
    if (found === undefined) throw new Error(`no value for !{${namespace}:${value}}`);
    return found;
  });
}

describe.each(['arrival', 'event-time'] as const)('%s partitioning: the stack and the local lake put the same events in the same folders', (partitioning) => {
  const { json } = synthStack('dev', { pipeline: { partitioning } });
  const s3 = only(json, KinesisFirehoseDeliveryStream).extended_s3_configuration;
  const local = pipelineSettings('dev', { partitioning });
  const deployedQuery = (s3.processing_configuration?.processors ?? [])
    .find((p: Json) => p.type === 'MetadataExtraction')
    ?.parameters.find((p: Json) => p.parameter_name === 'MetadataExtractionQuery')?.parameter_value;

  it('reads the same prefixes and the same JQ query from the stack JSON as the local lake uses', () => {
    expect(s3.prefix).toBe(local.firehosePrefix);
    expect(s3.error_output_prefix).toBe(local.errorOutputPrefix);
    expect(deployedQuery).toBe(partitioning === 'event-time' ? partitionKeyQuery() : undefined);
  });

  // Late, early and on-time events around midnight, arriving at one moment. The keys are what the query's
  // `{year: .[0:4], …}` takes from event_date (libs/local evaluates the query itself with a real jq).
  const arrival = new Date('2026-11-21T00:01:30.000Z');
  const events = ['2026-11-20T23:59:59.123Z', '2026-11-21T00:00:00.000Z', '2026-11-18T09:15:00Z', '2026-11-21T03:00:00.999999Z'];
  const keysOf = (eventDate: string) => Object.fromEntries(TIME_PARTITIONS.map((p) => [p.name, eventDate.slice(...p.eventTimeSlice)]));

  it('gives each event the same folder from either prefix', () => {
    for (const eventDate of events) {
      if (deployedQuery !== undefined)
        for (const p of TIME_PARTITIONS) expect(deployedQuery).toContain(`${p.name}: .[${p.eventTimeSlice[0]}:${p.eventTimeSlice[1]}]`);
      expect(folderOf(s3.prefix, keysOf(eventDate), arrival)).toBe(folderOf(local.firehosePrefix, keysOf(eventDate), arrival));
    }
    const folders = events.map((e) => folderOf(s3.prefix, keysOf(e), arrival));
    expect(folders).toEqual(
      partitioning === 'event-time'
        ? [
            'events/year=2026/month=11/day=20/hour=23/',
            'events/year=2026/month=11/day=21/hour=00/',
            'events/year=2026/month=11/day=18/hour=09/',
            'events/year=2026/month=11/day=21/hour=03/',
          ]
        : events.map(() => 'events/year=2026/month=11/day=21/hour=00/'),
    );
  });
});
