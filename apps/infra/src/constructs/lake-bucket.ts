import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  type DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { StackConfig } from '../config';

/** What is transient expires; the data under the data prefix never expires by a rule. */
function lifecycleRules(config: StackConfig): S3BucketLifecycleConfigurationRule[] {
  const { settings, lake } = config;
  return [
    {
      id: 'expire-error-output',
      status: 'Enabled',
      filter: [{ prefix: settings.errorPrefix }],
      expiration: [{ days: lake.errorOutputExpirationDays }],
    },
    {
      id: 'expire-athena-results',
      status: 'Enabled',
      filter: [{ prefix: settings.athenaResultsPrefix }],
      expiration: [{ days: lake.athenaResultsExpirationDays }],
    },
    {
      id: 'abort-incomplete-uploads-and-expire-old-versions',
      status: 'Enabled',
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: lake.abortIncompleteUploadDays }],
      noncurrentVersionExpiration: [{ noncurrentDays: lake.noncurrentVersionExpirationDays }],
    },
  ];
}

/** No request without TLS, or with TLS below 1.2, on the bucket and its objects. */
function tlsOnlyStatements(bucketArn: string): DataAwsIamPolicyDocumentStatement[] {
  // A Deny on every S3 action, to everyone, is the point here: no such request, whatever it is.
  const denyEveryRequest = (sid: string, condition: DataAwsIamPolicyDocumentStatementCondition) => ({
    sid,
    effect: 'Deny',
    principals: [{ type: 'AWS', identifiers: ['*'] }],
    actions: ['s3:*'],
    resources: [bucketArn, `${bucketArn}/*`],
    condition: [condition],
  });
  return [
    denyEveryRequest('DenyInsecureTransport', { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }),
    denyEveryRequest('DenyOutdatedTls', { test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }),
  ];
}

/**
 * The lake's bucket: Parquet data, Firehose's error output and Athena's results, each under its prefix.
 * Private (all four public-access blocks, ACLs disabled), TLS only, SSE-KMS with an S3 Bucket Key
 * (one KMS call per bucket and key instead of one per object), and lifecycle rules for what is transient.
 */
export class LakeBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly ownershipControls: S3BucketOwnershipControls;
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  public readonly versioning: S3BucketVersioningA;
  public readonly lifecycle: S3BucketLifecycleConfiguration;
  public readonly tlsOnlyPolicy: DataAwsIamPolicyDocument;
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, config: StackConfig, keyArn: string) {
    super(scope, id);
    const { settings, lake } = config;
    // Bucket names are global: Terraform appends a unique suffix to the prefix.
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: settings.bucketNamePrefix, forceDestroy: config.forceDestroy });
    const bucket = this.bucket.id;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public_access_block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'ownership', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
    });
    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      // "Suspended", not "Disabled": AWS accepts it whether or not the bucket was ever versioned.
      versioningConfiguration: { status: lake.versioning ? 'Enabled' : 'Suspended' },
    });
    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: lifecycleRules(config),
      // Rules apply to the versioning state the bucket ends in.
      dependsOn: [this.versioning],
    });
    this.tlsOnlyPolicy = new DataAwsIamPolicyDocument(this, 'tls_only', { statement: tlsOnlyStatements(this.bucket.arn) });
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: this.tlsOnlyPolicy.json,
      // S3 rejects concurrent changes to a bucket's policy and public access block (OperationAborted).
      dependsOn: [this.publicAccessBlock],
    });
  }
}
