import { eventRecordSchema, glueColumns, type GlueColumn, type RecordSchema } from '@lakehouse/schema';
import type { PipelineSettings } from './settings';
import { PARTITION_COLUMN_TYPE, projectionParameters, TIME_PARTITIONS } from './partitions';

const PARQUET_FORMATS = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
} as const;

/** The Glue table of the lake, as data: the AWS stack deploys it and the local catalog stores it. */
export interface GlueTableDefinition {
  databaseName: string;
  name: string;
  tableType: 'EXTERNAL_TABLE';
  /** `s3://<bucket>/<data prefix>` (locally, the bucket is a folder). */
  location: string;
  columns: GlueColumn[];
  partitionKeys: GlueColumn[];
  parameters: Record<string, string>;
  inputFormat: string;
  outputFormat: string;
  serializationLibrary: string;
}

export function glueTableDefinition(settings: PipelineSettings, bucketName: string, schema: RecordSchema = eventRecordSchema): GlueTableDefinition {
  const location = `s3://${bucketName}/${settings.dataPrefix}`;
  return {
    databaseName: settings.databaseName,
    name: settings.tableName,
    tableType: 'EXTERNAL_TABLE',
    location,
    columns: glueColumns(schema),
    partitionKeys: TIME_PARTITIONS.map((p) => ({
      name: p.name,
      type: PARTITION_COLUMN_TYPE.glue,
      comment: settings.partitioning === 'event-time' ? `Hour of event_date (UTC): ${p.name}` : `Hour of arrival in Firehose (UTC): ${p.name}`,
    })),
    parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': 'SNAPPY',
      ...projectionParameters(location),
    },
    ...PARQUET_FORMATS,
  };
}
