export {
  pipelineSettings,
  shardCountOf,
  SettingsError,
  ENVIRONMENTS,
  DEFAULT_ENVIRONMENT,
  MIN_CONVERSION_BUFFER_MIB,
  MIN_PARTITIONED_BUFFER_INTERVAL_SECONDS,
  MAX_BUFFER_INTERVAL_SECONDS,
  MAX_BUFFER_SIZE_MIB,
} from './settings';
export type { PipelineSettings, EnvironmentSettings, BufferingHints } from './settings';
export {
  TIME_PARTITIONS,
  PARTITION_COLUMN_TYPE,
  PARTITIONINGS,
  EVENT_TIME_FIELD,
  projectionLocationTail,
  partitionKeyQuery,
  hivePrefix,
  hiveTimePrefix,
} from './partitions';
export type { Partitioning, TimePartition } from './partitions';
export { glueTableDefinition } from './glue-table';
export { namedQueries } from './named-queries';
export type { NamedQuery } from './named-queries';
export type { GlueTableDefinition } from './glue-table';
export { DUCKDB_WORKGROUP_OUTPUT, parseStackOutputs, stackName, STACK_OUTPUT_NAMES, stackOutputsFile } from './stack-outputs';
export type { DeployedOutputs, StackOutputs } from './stack-outputs';
export { LOCAL_REGION } from './local-region';
export { PIPELINE_METRICS } from './metrics';
export type { PipelineMetric, PipelineMetricId } from './metrics';
