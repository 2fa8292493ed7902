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
