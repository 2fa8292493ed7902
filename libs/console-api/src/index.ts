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
export { PIPELINE_METRICS } from '@lakehouse/pipeline';
export type { NamedQuery, PipelineMetric, PipelineMetricId } from '@lakehouse/pipeline';
