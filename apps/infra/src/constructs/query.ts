import { Construct } from 'constructs';
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import type { StackConfig } from '../config';
import { namedQueries } from './named-queries';

export interface QueryProps {
  bucketName: string;
  keyArn: string;
  database: string;
  table: string;
}

/**
 * The Athena workgroup: its configuration is enforced on every query, so no client can send results
 * elsewhere, unencrypted, or scan past the cutoff. Plus the everyday questions as named queries.
 */
export class Query extends Construct {
  public readonly workgroup: AthenaWorkgroup;
  /** On Athena's DuckDB engine, when `athena.duckdbWorkgroup` is on. */
  public readonly duckdbWorkgroup: AthenaWorkgroup | undefined;
  public readonly namedQueries: AthenaNamedQuery[];

  constructor(scope: Construct, id: string, config: StackConfig, { bucketName, keyArn, database, table }: QueryProps) {
    super(scope, id);
    this.workgroup = new AthenaWorkgroup(this, 'workgroup', {
      name: config.settings.workgroupName,
      description: `${config.stackName}: queries over the lake`,
      forceDestroy: config.forceDestroy,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'AUTO' },
        resultConfiguration: {
          outputLocation: `s3://${bucketName}/${config.settings.athenaResultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: keyArn },
        },
      },
    });
    if (config.athena.duckdbWorkgroup) this.duckdbWorkgroup = duckdbWorkgroup(this, config, bucketName, keyArn);
    this.namedQueries = namedQueries(database, table).map(
      (query) =>
        new AthenaNamedQuery(this, query.name, {
          name: query.name,
          description: query.description,
          database,
          workgroup: this.workgroup.name,
          query: query.sql,
        }),
    );
  }
}

/**
 * A workgroup on Athena's DuckDB engine (preview): DuckDB's own SQL over the same Glue table. Its results go to the
 * lake's bucket, KMS-encrypted, under their own prefix (so the results' lifecycle rule expires them too), rather
 * than to Athena's managed storage. It sets only what DuckDB workgroups are documented to accept: no customer
 * content encryption, execution role, monitoring configuration or Identity Center, and no bytes-scanned cutoff,
 * which the preview's documentation doesn't list for DuckDB (see apps/infra/README.md).
 */
function duckdbWorkgroup(scope: Construct, config: StackConfig, bucketName: string, keyArn: string): AthenaWorkgroup {
  return new AthenaWorkgroup(scope, 'duckdb-workgroup', {
    name: duckdbWorkgroupName(config),
    description: `${config.stackName}: DuckDB SQL over the lake (Athena's DuckDB engine, preview)`,
    forceDestroy: config.forceDestroy,
    configuration: {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      // Exactly as ListEngineVersions spells it: the value is case-sensitive, and AUTO never picks DuckDB.
      engineVersion: { selectedEngineVersion: 'DuckDB' },
      resultConfiguration: {
        outputLocation: `s3://${bucketName}/${config.settings.athenaResultsPrefix}duckdb/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: keyArn },
      },
    },
  });
}

/** The DuckDB workgroup's name: the stack's workgroup, suffixed. */
export function duckdbWorkgroupName(config: StackConfig): string {
  return `${config.settings.workgroupName}-duckdb`;
}
