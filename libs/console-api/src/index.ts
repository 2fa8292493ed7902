export { API, ROW_CAP } from './api';
export type {
  ApiError,
  BucketListing,
  BucketObject,
  CatalogView,
  ConsoleInfo,
  ErrorRecordView,
  MetricsBackfill,
  MetricsSample,
  ObjectView,
  PipelineState,
  QueryRequest,
  QueryResponse,
} from './api';
// The metrics from their own entry: the browser bundle reaches none of the pipeline's Node-side code.
export { PIPELINE_METRICS } from '@lakehouse/pipeline/metrics';
export type { PipelineMetric, PipelineMetricId } from '@lakehouse/pipeline/metrics';
export type { NamedQuery } from '@lakehouse/pipeline';
