import { API, ROW_CAP, type CatalogView, type ConsoleInfo, type NamedQuery, type QueryRequest, type QueryResult, MEDIA_TYPES } from '@lakehouse/console-api';
import { partitionKeyQuery, type PipelineSettings } from '@lakehouse/pipeline';
import type { LocalLayout } from '../layout';
import { displayPath, LakehouseError, type ErrorCode } from '@lakehouse/runtime';
import { readCatalog } from '../catalog';
import type { Writable } from 'node:stream';
import type { QueryProcesses } from '../query/query-processes';
import type { BucketBrowser } from './bucket';

/** What the API serves: one lake folder, for one environment. */
export interface ApiSource {
  info: ConsoleInfo;
  settings: PipelineSettings;
  layout: LocalLayout;
  bucket: BucketBrowser;
  namedQueries: readonly NamedQuery[];
  /** Where queries run: each in a process of its own, under the time, memory and concurrency limits. */
  queries: QueryProcesses;
}

/**
 * A handler's answer: JSON, or a file to download, streamed: `send` calls `start` once the first rows are there
 * (which sends the headers and returns the response), then writes the rest with backpressure.
 */
export type ApiAnswer = { json: unknown } | { download: { contentType: string; filename: string; send: (start: () => Writable) => Promise<void> } };

export interface ApiRequest {
  query: URLSearchParams;
  /** A POST's parsed JSON body. */
  body?: unknown;
  /** Aborted when the client goes away: its query stops. */
  signal?: AbortSignal;
}

/** The HTTP status of each way a request can fail, so the page shows the same one line the CLI would. */
export const STATUS_OF: Record<ErrorCode, number> = {
  usage: 400,
  query: 400,
  missing: 404,
  rejected: 422,
  policy: 422,
  'dead-lettered': 500,
  unreachable: 502,
  credentials: 500,
  lakehouse: 500,
  interrupted: 500,
  unexpected: 500,
};

const SQL_DIALECTS = ['athena', 'duckdb'] as const;
const QUERY_FORMATS = ['table', 'csv', 'json'] as const;

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);

/** The body of POST /api/query, checked: each field named when it is wrong. */
export function parseQueryRequest(body: unknown): Required<QueryRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new LakehouseError('usage', 'the request body must be a JSON object with "sql"');
  const { sql, dialect = 'athena', format = 'table' } = body as Record<string, unknown>;
  if (typeof sql !== 'string' || sql.trim() === '') throw new LakehouseError('usage', 'sql: expected the SQL text of a query');
  if (!isOneOf(SQL_DIALECTS, dialect)) throw new LakehouseError('usage', `dialect: expected one of ${SQL_DIALECTS.join(', ')}, got ${JSON.stringify(dialect)}`);
  if (!isOneOf(QUERY_FORMATS, format)) throw new LakehouseError('usage', `format: expected one of ${QUERY_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  return { sql, dialect, format };
}

async function catalogView(source: ApiSource): Promise<CatalogView> {
  const { layout, settings } = source;
  const table = (await readCatalog(layout.catalogFile))?.databases[settings.databaseName]?.tables[settings.tableName];
  if (!table)
    throw new LakehouseError(
      'missing',
      `no table ${settings.databaseName}.${settings.tableName} in ${displayPath(layout.catalogFile)} yet: start the lakehouse (lakehouse up) to register it`,
    );
  const { databaseName, name, location, columns, partitionKeys, inputFormat, outputFormat, serializationLibrary, parameters } = table;
  return {
    databaseName,
    tableName: name,
    location,
    columns,
    partitionKeys,
    inputFormat,
    outputFormat,
    serializationLibrary,
    parameters,
    derivedFrom: 'libs/schema (the zod schema of one event record)',
    partitioning: {
      mode: settings.partitioning,
      prefix: settings.firehosePrefix,
      ...(settings.partitioning === 'event-time' ? { query: partitionKeyQuery() } : {}),
    },
  };
}

/** A timestamp for download names: 2026-11-30T06-35-03. */
const fileStamp = (millis: number) => new Date(millis).toISOString().slice(0, 19).replaceAll(':', '-');

async function runQuery(source: ApiSource, body: unknown, signal: AbortSignal | undefined): Promise<ApiAnswer> {
  const request = parseQueryRequest(body);
  const job = {
    dataDir: source.layout.dir,
    catalogFile: source.layout.catalogFile,
    database: source.settings.databaseName,
    dialect: request.dialect,
    sql: request.sql,
  };
  if (request.format === 'table') {
    const result = await source.queries.table({ ...job, maxRows: ROW_CAP }, signal);
    return { json: { ...result, elapsedMs: Math.round(result.elapsedMs) } satisfies QueryResult };
  }
  const format = request.format;
  return {
    download: {
      contentType: MEDIA_TYPES[format],
      filename: `${source.settings.tableName}-${fileStamp(Date.now())}.${format}`,
      send: (start) => source.queries.download({ ...job, format }, () => start(), signal),
    },
  };
}

/** The API's routes: method and path → handler. */
export const ROUTES: Record<string, (source: ApiSource, request: ApiRequest) => Promise<ApiAnswer>> = {
  [`GET ${API.info}`]: async (source) => ({ json: source.info }),
  [`GET ${API.bucket}`]: async (source, { query }) => ({ json: await source.bucket.list(query.get('prefix') ?? '') }),
  [`GET ${API.object}`]: async (source, { query }) => ({ json: await source.bucket.object(query.get('key') ?? '') }),
  [`GET ${API.catalog}`]: async (source) => ({ json: await catalogView(source) }),
  [`GET ${API.namedQueries}`]: async (source) => ({ json: source.namedQueries }),
  [`POST ${API.query}`]: (source, { body, signal }) => runQuery(source, body, signal),
};
