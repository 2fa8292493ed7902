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
export {
  columnKind,
  csvField,
  csvHeader,
  csvLine,
  csvText,
  JSON_ARRAY,
  jsonElement,
  isCategoryType,
  isNumericType,
  isTimeType,
  jsonText,
  jsonValue,
  MEDIA_TYPES,
} from './result';
export type { ColumnKind, QueryResult, ResultColumn } from './result';
// The pipeline is pure (lint keeps it so): the browser's bundle takes its metrics and nothing of Node's.
export { PIPELINE_METRICS } from '@lakehouse/pipeline';
export type { NamedQuery, PipelineMetric, PipelineMetricId } from '@lakehouse/pipeline';
