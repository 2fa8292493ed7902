/**
 * The lake's JSON API, as the page calls it (paths and shapes from @lakehouse/console-api). Every failure becomes an
 * `ApiFailure`: `network` when the lake didn't answer (it stopped), otherwise the lake's one-line `ApiError`.
 */
import {
  API,
  type ApiError,
  type BucketListing,
  type CatalogView,
  type ConsoleInfo,
  type NamedQuery,
  type ObjectView,
  type QueryRequest,
  type QueryResult,
} from '@lakehouse/console-api';

export class ApiFailure extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the lake didn't answer. */
    readonly status: number,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  get network(): boolean {
    return this.status === 0;
  }
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers }, cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure('The lake does not answer: it may have stopped.', 0);
  }
  if (!res.ok) throw await failureOf(res);
  return res;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  try {
    const body = (await res.json()) as Partial<ApiError>;
    if (typeof body.error === 'string') return new ApiFailure(body.error, res.status, body.line, body.column);
  } catch {
    /* not JSON: say what we know */
  }
  return new ApiFailure(`The lake answered ${res.status} ${res.statusText}`.trim(), res.status);
}

async function getJson<T>(path: string, params?: Record<string, string>): Promise<T> {
  const query = params ? `?${new URLSearchParams(params).toString()}` : '';
  return (await (await send(path + query)).json()) as T;
}

function post(request: QueryRequest, signal?: AbortSignal): Promise<Response> {
  return send(API.query, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    signal: signal ?? null,
  });
}

export const lakeApi = {
  info: () => getJson<ConsoleInfo>(API.info),
  bucket: (prefix: string) => getJson<BucketListing>(API.bucket, { prefix }),
  object: (key: string) => getJson<ObjectView>(API.object, { key }),
  catalog: () => getJson<CatalogView>(API.catalog),
  namedQueries: () => getJson<NamedQuery[]>(API.namedQueries),
  query: async (request: QueryRequest, signal?: AbortSignal) => (await (await post({ ...request, format: 'table' }, signal)).json()) as QueryResult,
  /** The whole result as a file: the lake streams every row, past `ROW_CAP`. */
  download: async (request: QueryRequest & { format: 'csv' | 'json' }, signal?: AbortSignal) => {
    const res = await post(request, signal);
    return { blob: await res.blob(), disposition: res.headers.get('Content-Disposition') };
  },
};
