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
} from './api';
export { columnKind, csvField, csvText, isCategoryType, isNumericType, isTimeType, jsonText, jsonValue, MEDIA_TYPES } from './result';
export type { ColumnKind, QueryResult, ResultColumn } from './result';
// The metrics from their own entry: the browser bundle reaches none of the pipeline's Node-side code.
export { PIPELINE_METRICS } from '@lakehouse/pipeline/metrics';
export type { PipelineMetric, PipelineMetricId } from '@lakehouse/pipeline/metrics';
export type { NamedQuery } from '@lakehouse/pipeline';
