import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { Duplex } from 'node:stream';
import { API, type ApiError } from '@lakehouse/console-api';
import { LakehouseError } from '@lakehouse/runtime';
import { ROUTES, STATUS_OF, type ApiAnswer, type ApiSource } from './api';
import { BusyError } from '../query/query-processes';
import { loadAssets, NONCE_PLACEHOLDER, type ConsoleAssets } from './assets';
import { MetricsFeed, type LiveLake } from './events';
import { allowedHosts, BodyTooLarge, MAX_BODY_BYTES, pageCsp, refusalOf, RESOURCE_CSP, SECURITY_HEADERS, withoutAbsolutePaths } from './security';

export interface ConsoleServerOptions {
  /** On 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The console's build (index.html and assets/). */
  assetsDir: string;
  source: ApiSource;
  /** The running lake, for the live graphs; none when the console reads a folder. */
  live?: LiveLake;
  /** An error no one classified, for the log (the page gets one line). */
  onUnexpected?: (error: unknown) => void;
}

const RESOURCE_HEADERS = { ...SECURITY_HEADERS, 'Content-Security-Policy': RESOURCE_CSP };

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...RESOURCE_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-store', ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function sendError(response: ServerResponse, status: number, error: ApiError): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(error));
}

async function sendAnswer(response: ServerResponse, answer: ApiAnswer): Promise<void> {
  if ('json' in answer) return send(response, 200, 'application/json; charset=utf-8', JSON.stringify(answer.json));
  const { contentType, filename } = answer.download;
  await answer.download.send(() => {
    response.writeHead(200, {
      ...RESOURCE_HEADERS,
      'Content-Type': contentType,
      'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename="${filename}"`,
    });
    return response;
  });
}

/** The body of a POST as JSON; over the limit it is drained, not read, so the 413 reaches the page. */
function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(new BodyTooLarge());
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new LakehouseError('usage', 'the body is not JSON'));
      }
    });
    request.on('error', reject);
  });
}

/** Where in the SQL an error is: the query's syntax errors end their one line saying so (at line 3, column 1). */
function positionOf(error: LakehouseError): Pick<ApiError, 'line' | 'column'> {
  const where = error.code === 'query' ? /\bline (\d+), column (\d+)\b/.exec(error.message) : null;
  return where ? { line: Number(where[1]), column: Number(where[2]) } : {};
}

/**
 * The local console: the page (the console app's build, from memory) and its API, on 127.0.0.1 only, refusing
 * anything not from the page itself (see security.ts).
 */
export class ConsoleServer {
  private constructor(
    private readonly server: Server,
    private readonly feed: MetricsFeed | undefined,
    private readonly source: ApiSource,
    readonly url: string,
  ) {}

  static async start(options: ConsoleServerOptions): Promise<ConsoleServer> {
    const assets = await loadAssets(options.assetsDir);
    const feed = options.live ? new MetricsFeed(options.live) : undefined;
    let hosts: ReadonlySet<string> = new Set();
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://console');
      const refusal = refusalOf({ method: request.method ?? 'GET', path: url.pathname, headers: request.headers }, hosts);
      if (refusal)
        return send(response, refusal.status, 'text/plain; charset=utf-8', `${refusal.reason}\n`, refusal.status === 413 ? { Connection: 'close' } : {});
      if (!url.pathname.startsWith('/api/')) return servePage(assets, url.pathname, response);
      if (url.pathname === API.events) {
        if (feed) return feed.connect(response, RESOURCE_HEADERS);
        return sendError(response, 404, { error: 'no live metrics: this console reads a lake folder; "lakehouse up" serves one with its graphs' });
      }
      void serveApi(options, request, url, response);
    });
    server.on('clientError', answerMalformed);
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const reason = error.code === 'EADDRINUSE' ? `port ${options.port} on 127.0.0.1 is in use (0 picks a free one)` : error.message;
        reject(new LakehouseError('lakehouse', `the console could not start: ${reason}`, { cause: error }));
      });
      server.listen(options.port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    }).catch((error: unknown) => {
      feed?.close();
      throw error;
    });
    hosts = allowedHosts(port);
    return new ConsoleServer(server, feed, options.source, `http://127.0.0.1:${port}/`);
  }

  /** Pages watching the live metrics now. */
  get livePages(): number {
    return this.feed?.pageCount ?? 0;
  }

  /** Queries running now, each in its process. */
  get runningQueries(): number {
    return this.source.queries.running;
  }

  /** Stops every query now (the lake is stopping: its delivery comes first). */
  stopQueries(): void {
    this.source.queries.close();
  }

  /** Ends the live streams, the queries and every connection, then stops listening. */
  async close(): Promise<void> {
    this.feed?.close();
    this.source.queries.close();
    this.source.bucket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Malformed HTTP (a body after `Connection: close`, a bad chunk): Node's answer has no body; this one says why in one line. */
function answerMalformed(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'the request headers are too large']
      : ['400 Bad Request', 'the request is not valid HTTP'];
  const body = `${reason} (${error.code ?? 'parse error'})\n`;
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** A built file, or the page itself (any other path: the app routes on its own) with a fresh nonce. */
function servePage(assets: ConsoleAssets, path: string, response: ServerResponse): void {
  const asset = assets.files.get(path);
  if (asset)
    return send(response, 200, asset.contentType, asset.body, { 'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
  if (extname(path) !== '') return send(response, 404, 'text/plain; charset=utf-8', `no file ${path}\n`);
  // Never cached: a page's nonce is good for that load only.
  const nonce = randomBytes(18).toString('base64');
  send(response, 200, 'text/html; charset=utf-8', assets.indexHtml.replaceAll(NONCE_PLACEHOLDER, nonce), { 'Content-Security-Policy': pageCsp(nonce) });
}

async function serveApi(options: ConsoleServerOptions, request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const route = ROUTES[`${method} ${url.pathname}`];
  if (!route) return sendError(response, 404, { error: `no API at ${request.method} ${url.pathname}` });
  // A client that goes away stops its query.
  const gone = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) gone.abort();
  });
  try {
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    await sendAnswer(response, await route(options.source, { query: url.searchParams, body, signal: gone.signal }));
  } catch (error) {
    const told = (message: string) => withoutAbsolutePaths(message, options.source.layout.dir);
    // A download that failed after its headers: cut short, so that the browser says it failed.
    if (response.headersSent) return void response.destroy();
    if (gone.signal.aborted) return;
    if (error instanceof BodyTooLarge) return send(response, 413, 'text/plain; charset=utf-8', `${error.message}\n`, { Connection: 'close' });
    if (error instanceof BusyError) return send(response, error.status, 'text/plain; charset=utf-8', `${error.message}\n`, { 'Retry-After': '1' });
    if (error instanceof LakehouseError) return sendError(response, STATUS_OF[error.code], { error: told(error.message), ...positionOf(error) });
    options.onUnexpected?.(error);
    sendError(response, 500, { error: `unexpected: ${told((error as Error).message)}` });
  }
}
