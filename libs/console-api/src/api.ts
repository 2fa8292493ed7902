/**
 * The local console's HTTP API: the lake serves it on 127.0.0.1 (`lakehouse up`, `lakehouse console`), the browser
 * app calls it. One file, so the two sides can't disagree. Every response is JSON unless said otherwise; every error
 * is `ApiError` with an HTTP status.
 */
import type { Partitioning, PipelineMetricId } from '@lakehouse/pipeline';
import type { QueryResult } from './result';

export const API = {
  /** GET → `ConsoleInfo`. */
  info: '/api/info',
  /** GET → Server-Sent Events: `backfill` (`MetricsBackfill`) once on connect, then `metrics` (`MetricsSample`) and `state` (`PipelineState`) every second. */
  events: '/api/events',
  /** GET ?prefix=events/year=2026/ → `BucketListing` (one level: folders and objects). */
  bucket: '/api/bucket',
  /** GET ?key=<object key> → `ObjectView` (a Parquet object's schema and first rows, or an error object's records). */
  object: '/api/object',
  /** GET → `CatalogView`. */
  catalog: '/api/catalog',
  /** GET → `NamedQuery[]`: the workgroup's saved queries (libs/pipeline), one-click examples. */
  namedQueries: '/api/named-queries',
  /** POST `QueryRequest` (application/json) → `QueryResult`, or the whole result as a CSV/JSON download (`format`). */
  query: '/api/query',
} as const;

/** Every error response: one line, as the CLI would print it, plus where in the SQL when the engine said. */
export interface ApiError {
  error: string;
  /** 1-based, in the SQL as sent, for SQL errors that name a position. */
  line?: number;
  column?: number;
}

export interface ConsoleInfo {
  /** `up`: the lake runs here (Kinesis, delivery, live metrics); `folder`: a lake folder read as it is, nothing running. */
  mode: 'up' | 'folder';
  environment: string;
  streamName: string;
  deliveryStreamName: string;
  bucket: string;
  database: string;
  table: string;
  /** The lake folder, as the user would type it. */
  dataDir: string;
  /** Kinesis endpoint when `mode` is `up`. */
  kinesisEndpoint?: string;
  /** Seconds of history the graphs keep (15 minutes). */
  historySeconds: number;
  /** Key prefix of Firehose's error output (`errors/`), ending in `/`: the pipeline view links to it. */
  errorPrefix: string;
  /** The delivery's partitioning: Firehose publishes its dynamic-partitioning metrics only with event time. */
  partitioning: Partitioning;
}

/** One second of the pipeline: each metric's value for that second (counts and bytes summed, ages at their maximum). */
export interface MetricsSample {
  /** Epoch milliseconds at the start of the second. */
  at: number;
  values: Partial<Record<PipelineMetricId, number>>;
}

/** The last `historySeconds` of samples, oldest first: what a page draws before the live ones arrive. */
export interface MetricsBackfill {
  samples: MetricsSample[];
}

/** Where the pipeline stands now: totals since start, the buffer, and a count at each step of the flow. */
export interface PipelineState {
  /** Epoch milliseconds. */
  at: number;
  startedAt: number;
  totals: {
    incomingRecords: number;
    incomingBytes: number;
    deliveredRecords: number;
    deliveredBytes: number;
    failedRecords: number;
    dataObjects: number;
    errorObjects: number;
  };
  buffer: {
    records: number;
    bytes: number;
    /** Epoch milliseconds when the interval hint makes the next delivery due; null with an empty buffer. */
    nextDeliveryAt: number | null;
  };
  /** The flow stream → delivery → bucket → catalog, with a live count on each step. */
  flow: {
    stream: { records: number };
    delivery: { buffered: number; delivered: number; failed: number };
    bucket: { dataObjects: number; errorObjects: number };
    catalog: { tables: number };
  };
}

export interface BucketObject {
  key: string;
  bytes: number;
  /** Epoch milliseconds. */
  modified: number;
  kind: 'data' | 'error';
  /** Rows of a Parquet object (read from its footer), records of an error object. */
  rows: number;
  /**
   * Why the object can't be read, when it can't: a corrupt Parquet file, or a link (never followed). The listing
   * still shows it, and the rest of its folder.
   */
  problem?: string;
}

export interface BucketListing {
  bucket: string;
  /** The prefix listed, ending in `/` (or empty for the bucket's top). */
  prefix: string;
  /** Sub-prefixes, each ending in `/`, sorted. */
  folders: string[];
  objects: BucketObject[];
}

export type ObjectView =
  | { kind: 'data'; key: string; bytes: number; rows: number; schema: Array<{ name: string; type: string }>; firstRows: QueryResult }
  /** `rows`: records in the object; `records`: the first 1,000 of them, decoded. */
  | { kind: 'error'; key: string; bytes: number; rows: number; records: ErrorRecordView[] };

/** A record that failed conversion, decoded for reading. */
export interface ErrorRecordView {
  lastErrorCode: string;
  lastErrorMessage: string;
  /** The record's bytes as UTF-8 text (invalid bytes replaced). */
  rawText: string;
  arrivalTimestamp: number;
  sequenceNumber: string | null;
}

export interface CatalogView {
  databaseName: string;
  tableName: string;
  location: string;
  columns: Array<{ name: string; type: string; comment?: string }>;
  partitionKeys: Array<{ name: string; type: string; comment?: string }>;
  inputFormat: string;
  outputFormat: string;
  serializationLibrary: string;
  /** Table parameters, partition projection included. */
  parameters: Record<string, string>;
  /** Where the columns come from: the zod schema in libs/schema. */
  derivedFrom: string;
  /** What the partition folders mean: the records' arrival hour, or each event's own hour (dynamic partitioning). */
  partitioning: {
    mode: 'arrival' | 'event-time';
    /** The Firehose prefix that makes the folders. */
    prefix: string;
    /** Event time: the JQ 1.6 MetadataExtraction query that yields the keys. */
    query?: string;
  };
}

export interface QueryRequest {
  sql: string;
  /** `athena` (default): Athena's SQL, as `lakehouse query`; `duckdb`: DuckDB's own. */
  dialect?: 'athena' | 'duckdb';
  /** `table` (default): JSON rows, at most `ROW_CAP` of them; `csv` / `json`: every row, as a file to download. */
  format?: 'table' | 'csv' | 'json';
}

/** Rows a page receives at most; a download gets every row. */
export const ROW_CAP = 100_000;
