import { Construct } from 'constructs';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import { glueTableDefinition, type GlueTableDefinition } from '@lakehouse/pipeline';
import type { StackConfig } from '../config';

/**
 * Terraform reads `${…}` in any string as an interpolation; Athena's projection template
 * (`…/year=${year}/…`) needs it literally, so it is written `$${year}`. cdktf's own tokens stay as they are.
 */
export function escapeTerraformInterpolation(value: string): string {
  return value.replace(/\$\{(?!TfToken\[)/g, '$$$${');
}

/**
 * The Glue database and the events table: typed columns from libs/schema, Parquet, and partition
 * projection over the same year/month/day/hour folders Firehose writes, so a new hour is queryable
 * at once with no crawler and no MSCK REPAIR TABLE.
 */
export class Catalog extends Construct {
  public readonly definition: GlueTableDefinition;
  public readonly database: GlueCatalogDatabase;
  public readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, config: StackConfig, bucketName: string) {
    super(scope, id);
    this.definition = glueTableDefinition(config.settings, bucketName);
    const { definition } = this;
    this.database = new GlueCatalogDatabase(this, 'database', {
      name: definition.databaseName,
      description: `${config.stackName}: events delivered by Firehose as Parquet`,
    });
    this.table = new GlueCatalogTable(this, 'table', {
      name: definition.name,
      databaseName: this.database.name,
      tableType: definition.tableType,
      parameters: Object.fromEntries(Object.entries(definition.parameters).map(([k, v]) => [k, escapeTerraformInterpolation(v)])),
      partitionKeys: definition.partitionKeys,
      storageDescriptor: {
        location: definition.location,
        inputFormat: definition.inputFormat,
        outputFormat: definition.outputFormat,
        serDeInfo: { serializationLibrary: definition.serializationLibrary, parameters: { 'serialization.format': '1' } },
        columns: definition.columns,
      },
    });
  }
}
