import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import {
  KinesisFirehoseDeliveryStream,
  type KinesisFirehoseDeliveryStreamExtendedS3Configuration,
} from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { partitionKeyQuery } from '@lakehouse/pipeline';
import { jsonSerDeColumns } from '@lakehouse/schema';
import type { StackConfig } from '../config';
import type { Catalog } from './catalog';
import type { EncryptionKey } from './encryption-key';
import type { EventStream } from './event-stream';
import type { LakeBucket } from './lake-bucket';

export interface FirehoseProps {
  key: EncryptionKey;
  source: EventStream;
  lake: LakeBucket;
  catalog: Catalog;
}

/** Firehose writes nothing but these objects; the role may write nothing else. */
function objectArns(bucketArn: string, config: StackConfig): string[] {
  return [config.settings.dataPrefix, config.settings.errorPrefix].map((prefix) => `${bucketArn}/${prefix}*`);
}

/** Only Firehose, on behalf of this account, may assume the role. */
function trustStatements(key: EncryptionKey): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      effect: 'Allow',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['firehose.amazonaws.com'] }],
      // Firehose passes the account id as the external id: no other account's stream can use this role.
      condition: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: [key.accountId] }],
    },
  ];
}

interface PermissionTargets {
  key: EncryptionKey;
  streamArn: string;
  bucketArn: string;
  catalog: Catalog;
  logStreamArn: string;
}

/**
 * The role's permissions, as the Firehose developer guide lists them ("Controlling access": a Kinesis source,
 * an S3 destination, Glue for format conversion, CloudWatch Logs), each on the exact ARNs.
 */
function permissionStatements(
  config: StackConfig,
  { key, streamArn, bucketArn, catalog, logStreamArn }: PermissionTargets,
): DataAwsIamPolicyDocumentStatement[] {
  const { region } = config;
  const lakeObjectArns = objectArns(bucketArn, config);
  const catalogArn = `arn:${key.partition}:glue:${region}:${key.accountId}:catalog`;
  return [
    {
      sid: 'ReadSourceStream',
      effect: 'Allow',
      actions: ['kinesis:DescribeStream', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
      resources: [streamArn],
    },
    {
      sid: 'DecryptSourceStream',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [key.key.arn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`kinesis.${region}.amazonaws.com`] }],
    },
    {
      sid: 'ListLakeBucket',
      effect: 'Allow',
      actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      resources: [bucketArn],
    },
    {
      sid: 'WriteLakeObjects',
      effect: 'Allow',
      actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      resources: lakeObjectArns,
    },
    {
      sid: 'EncryptLakeObjects',
      effect: 'Allow',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.key.arn],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
        // With an S3 Bucket Key the context is the bucket's ARN; without, the object's.
        { test: 'StringLike', variable: 'kms:EncryptionContext:aws:s3:arn', values: [bucketArn, ...lakeObjectArns] },
      ],
    },
    {
      sid: 'ReadTableSchema',
      effect: 'Allow',
      // GetTableVersion is easy to forget, and conversion fails without it.
      actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
      resources: [catalogArn, catalog.database.arn, catalog.table.arn],
    },
    {
      sid: 'WriteDeliveryLog',
      effect: 'Allow',
      actions: ['logs:PutLogEvents'],
      resources: [logStreamArn],
    },
  ];
}

interface DestinationParts {
  roleArn: string;
  bucketArn: string;
  keyArn: string;
  catalog: Catalog;
  logGroupName: string;
  logStreamName: string;
}

/**
 * Event-time partitioning: Firehose's dynamic partitioning with inline parsing. A JQ 1.6 query (the MetadataExtraction
 * processor) reads year/month/day/hour out of each record's event_date, and the prefix's `!{partitionKeyFromQuery:…}`
 * puts the record in that hour's folder; a record the query fails on goes to the error prefix. No RecordDeAggregation
 * processor: that one splits several JSON documents packed into one record, which the producer never sends, and
 * Firehose de-aggregates KPL records from a Kinesis source by itself. Inline parsing calls no Lambda, so the role
 * needs no new permission.
 */
function eventTimePartitioning(
  config: StackConfig,
): Pick<KinesisFirehoseDeliveryStreamExtendedS3Configuration, 'dynamicPartitioningConfiguration' | 'processingConfiguration'> {
  if (config.settings.partitioning !== 'event-time') return {};
  return {
    dynamicPartitioningConfiguration: { enabled: true, retryDuration: config.firehose.partitionedDeliveryRetrySeconds },
    processingConfiguration: {
      enabled: true,
      processors: [
        {
          type: 'MetadataExtraction',
          parameters: [
            { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
            { parameterName: 'MetadataExtractionQuery', parameterValue: partitionKeyQuery() },
          ],
        },
      ],
    },
  };
}

/** Where and how Firehose writes: JSON converted to SNAPPY Parquet with the Glue table's schema, under the shared prefixes. */
function s3Destination(
  config: StackConfig,
  { roleArn, bucketArn, keyArn, catalog, logGroupName, logStreamName }: DestinationParts,
): KinesisFirehoseDeliveryStreamExtendedS3Configuration {
  const { settings, region } = config;
  const serDe = jsonSerDeColumns();
  return {
    roleArn,
    bucketArn,
    prefix: settings.firehosePrefix,
    errorOutputPrefix: settings.errorOutputPrefix,
    fileExtension: settings.fileExtension,
    customTimeZone: 'UTC',
    bufferingSize: settings.buffering.sizeMiB,
    bufferingInterval: settings.buffering.intervalSeconds,
    // Conversion requires UNCOMPRESSED here: the Parquet serializer compresses (SNAPPY).
    compressionFormat: 'UNCOMPRESSED',
    kmsKeyArn: keyArn,
    s3BackupMode: 'Disabled',
    cloudwatchLoggingOptions: { enabled: true, logGroupName, logStreamName },
    ...eventTimePartitioning(config),
    dataFormatConversionConfiguration: {
      enabled: true,
      inputFormatConfiguration: {
        deserializer: {
          openXJsonSerDe: {
            convertDotsInJsonKeysToUnderscores: false,
            ...(Object.keys(serDe.columnToJsonKeyMappings).length > 0 ? { columnToJsonKeyMappings: serDe.columnToJsonKeyMappings } : {}),
          },
        },
      },
      outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
      schemaConfiguration: {
        catalogId: catalog.database.catalogId,
        databaseName: catalog.database.name,
        tableName: catalog.table.name,
        region,
        roleArn,
        versionId: 'LATEST',
      },
    },
  };
}

/**
 * Amazon Data Firehose from the stream to the lake: JSON converted to Parquet with the Glue table's columns,
 * Hive-style hourly folders (of arrival time, or of event time with dynamic partitioning), conversion failures under the error prefix, and a delivery log.
 * Its role holds exactly the actions Firehose needs, each on the exact ARNs; no statement needs
 * `Resource: "*"` (every action used has resource-level permissions).
 */
export class Firehose extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly logStream: CloudwatchLogStream;
  public readonly assumeRolePolicy: DataAwsIamPolicyDocument;
  public readonly permissions: DataAwsIamPolicyDocument;
  public readonly role: IamRole;
  public readonly rolePolicy: IamRolePolicy;
  public readonly deliveryStream: KinesisFirehoseDeliveryStream;

  constructor(scope: Construct, id: string, config: StackConfig, { key, source, lake, catalog }: FirehoseProps) {
    super(scope, id);
    const { settings, region } = config;
    const streamArn = source.stream.arn;
    const bucketArn = lake.bucket.arn;

    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: `/aws/kinesisfirehose/${settings.deliveryStreamName}`,
      retentionInDays: config.logs.retentionDays,
    });
    this.logStream = new CloudwatchLogStream(this, 'log_stream', { name: 'DestinationDelivery', logGroupName: this.logGroup.name });

    this.assumeRolePolicy = new DataAwsIamPolicyDocument(this, 'assume_role', { statement: trustStatements(key) });
    // IAM role names are global to the account: the region keeps two regions' stacks apart.
    this.role = new IamRole(this, 'role', {
      name: `${config.stackName}-firehose-${region}`,
      description: `Firehose ${settings.deliveryStreamName}: read the stream, write the lake`,
      assumeRolePolicy: this.assumeRolePolicy.json,
    });
    this.permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: permissionStatements(config, { key, streamArn, bucketArn, catalog, logStreamArn: this.logStream.arn }),
    });
    this.rolePolicy = new IamRolePolicy(this, 'role_policy', { name: 'firehose-delivery', role: this.role.id, policy: this.permissions.json });

    const roleArn = this.role.arn;
    this.deliveryStream = new KinesisFirehoseDeliveryStream(this, 'delivery_stream', {
      name: settings.deliveryStreamName,
      destination: 'extended_s3',
      kinesisSourceConfiguration: { kinesisStreamArn: streamArn, roleArn },
      extendedS3Configuration: s3Destination(config, {
        roleArn,
        bucketArn,
        keyArn: key.key.arn,
        catalog,
        logGroupName: this.logGroup.name,
        logStreamName: this.logStream.name,
      }),
      // Firehose checks the role's permissions when the stream is created.
      dependsOn: [this.rolePolicy],
    });
  }
}
