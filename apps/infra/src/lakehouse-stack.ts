import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DUCKDB_WORKGROUP_OUTPUT, STACK_OUTPUT_NAMES, type StackOutputs } from '@lakehouse/pipeline';
import type { BackendConfig, StackConfig } from './config';
import { Alarms } from './constructs/alarms';
import { Catalog } from './constructs/catalog';
import { Dashboard } from './constructs/dashboard';
import { EncryptionKey } from './constructs/encryption-key';
import { EventStream } from './constructs/event-stream';
import { Firehose } from './constructs/firehose';
import { LakeBucket } from './constructs/lake-bucket';
import { Query } from './constructs/query';

const OUTPUT_DESCRIPTIONS: Record<keyof StackOutputs, string> = {
  region: 'AWS region of the stack',
  stream_name: 'Kinesis stream the producer writes to',
  stream_arn: 'ARN of that stream',
  bucket: 'S3 bucket of the lake',
  database: 'Glue database',
  table: 'Glue table of the events',
  workgroup: 'Athena workgroup to query with',
};

function useBackend(stack: TerraformStack, backend: BackendConfig): void {
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  const s3 = new S3Backend(stack, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: backend.encrypt });
  // cdktf 0.21 predates `use_lockfile` (Terraform 1.10): S3-native locking, no DynamoDB table.
  s3.addOverride('use_lockfile', backend.useLockfile);
}

/**
 * The whole pipeline of one environment: Kinesis -> Firehose (JSON to Parquet) -> S3 -> Glue -> Athena,
 * encrypted with the stack's key, with alarms and a dashboard, tagged through the provider's default tags.
 */
export class LakehouseStack extends TerraformStack {
  public readonly config: StackConfig;
  public readonly provider: AwsProvider;
  public readonly key: EncryptionKey;
  public readonly source: EventStream;
  public readonly lake: LakeBucket;
  public readonly catalog: Catalog;
  public readonly firehose: Firehose;
  public readonly query: Query;
  public readonly alarms: Alarms;
  public readonly dashboard: Dashboard;
  public readonly outputs: StackOutputs;

  constructor(scope: Construct, config: StackConfig) {
    super(scope, config.stackName);
    this.config = config;
    const { settings } = config;
    useBackend(this, config.backend);
    this.provider = new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { project: settings.project, environment: settings.environment } }],
    });

    this.key = new EncryptionKey(this, 'encryption', config);
    const keyArn = this.key.key.arn;
    this.source = new EventStream(this, 'source', config, keyArn);
    this.lake = new LakeBucket(this, 'lake', config, keyArn);
    this.catalog = new Catalog(this, 'catalog', config, this.lake.bucket.bucket);
    // Construct id "delivery", not "firehose": the id is part of every Terraform address under it, and renaming
    // it would make Terraform destroy and recreate the deployed role, log group and delivery stream.
    this.firehose = new Firehose(this, 'delivery', config, { key: this.key, source: this.source, lake: this.lake, catalog: this.catalog });
    this.query = new Query(this, 'query', config, {
      bucketName: this.lake.bucket.bucket,
      keyArn,
      database: this.catalog.database.name,
      table: this.catalog.table.name,
    });
    this.alarms = new Alarms(this, 'alarms', config);
    this.dashboard = new Dashboard(
      this,
      'dashboard',
      config,
      this.alarms.alarms.map((alarm) => alarm.arn),
    );

    this.outputs = {
      region: config.region,
      stream_name: this.source.stream.name,
      stream_arn: this.source.stream.arn,
      bucket: this.lake.bucket.bucket,
      database: this.catalog.database.name,
      table: this.catalog.table.name,
      workgroup: this.query.workgroup.name,
    };
    for (const name of STACK_OUTPUT_NAMES) {
      new TerraformOutput(this, name, { value: this.outputs[name], description: OUTPUT_DESCRIPTIONS[name] });
    }
    if (this.query.duckdbWorkgroup) {
      new TerraformOutput(this, DUCKDB_WORKGROUP_OUTPUT, {
        value: this.query.duckdbWorkgroup.name,
        description: 'Athena workgroup on the DuckDB engine (preview): lake:query --target aws --dialect duckdb',
      });
    }
    // For people, not the tools: the graphs the local console shows, for this stack.
    new TerraformOutput(this, 'dashboard_url', { value: this.dashboard.url, description: 'CloudWatch dashboard of the pipeline' });
  }
}
