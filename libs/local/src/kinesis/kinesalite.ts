/**
 * kinesalite, the Kinesis API on LevelDB, as the kit starts it: the local lake serves it, and the producer's
 * tests and benchmarks send to it. Its own entry (`@lakehouse/local/kinesalite`), so that nothing else loads it.
 *
 * It runs on a worker thread: loading it, and serving requests, never waits behind what the lake's own thread does
 * (converting records, loading DuckDB, writing Parquet), and on two cores the two go side by side.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { HeapInfo } from 'node:v8';
import { Worker } from 'node:worker_threads';

/**
 * The worker's young generation, at most, in MiB (three semi-spaces' worth: V8 gives this as 2 semi-spaces of 16 MiB
 * and room for new large objects). Left to V8 it grows to 2 × 64 MiB under a steady load and is given back only when
 * idle: the worker held 20 to 80 MiB used in about 160 MiB of heap at 1,000 records/s (its stream itself, 20 s of
 * records, about 25 MiB). The lake's main thread has the same bound (LAKE_FLAGS in apps/cli/src/node-runtime.mjs).
 */
export const KINESIS_WORKER_YOUNG_GENERATION_MIB = 48;

/** The name of kinesalite's bundle, which the `lakehouse` command's build writes beside its chunks. */
export const KINESALITE_BUNDLE = './kinesalite.cjs';

export interface KinesaliteServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Removes each shard's records up to and including the sequence number given (records the lake has delivered). */
  trim(streamName: string, positions: Readonly<Record<string, string>>): Promise<void>;
  /** The worker's V8 heap now (its stream, in memory, is in it): what bounds the Kinesis side's memory. */
  heapStatistics(): Promise<HeapInfo>;
  /** Told of a failure of the server once it runs (its LevelDB store failing). */
  onFailure(listener: (error: Error) => void): void;
  /** Stops listening, ends open connections and closes the store. */
  close(): Promise<void>;
}

export interface KinesaliteOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A LevelDB folder for a stream kept on disk; in memory when absent. */
  path?: string;
  /** How long a new stream stays CREATING (default 0: ACTIVE at once, nothing is provisioned locally). */
  createStreamMs?: number;
  /**
   * A stream the server creates (unless it has it) before it says it is listening: the embedded lake is ready for a
   * producer as soon as this resolves, with no SDK loaded yet.
   */
  stream?: { name: string; shardCount: number };
}

/**
 * What the worker runs: kinesalite on 127.0.0.1 behind a front that only AWS SDKs and CLIs get through, the stream
 * asked for, created over its own API (Kinesis' JSON protocol; kinesalite checks that a request is signed, not the
 * signature) and waited for until ACTIVE, and the trimming of records the lake has delivered.
 *
 * The front: kinesalite answers any Origin with `Access-Control-Allow-Origin: *`, so any web page the user opens could
 * read, put and delete. A browser marks its requests (an Origin on every cross-origin request and on every POST,
 * Sec-Fetch-* headers); an SDK or CLI sends none of them. So a request with an Origin or a Sec-Fetch-Site is refused,
 * as is a Host that does not name this server (a DNS-rebinding page names its own) and any method but POST (a CORS
 * preflight is an OPTIONS), before kinesalite sees it, with no CORS header: the page gets nothing, and a forged
 * request changes nothing. Refusals are Kinesis' JSON errors, so an SDK shows them as one line.
 */
const WORKER = `
require('node:module').enableCompileCache?.();
const { request } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
// kinesalite and its db module: one bundled file (the lakehouse command's), or its package's 112 files.
const { kinesalite, db: kinesaliteDb } = workerData.bundled
  ? require(workerData.module)
  : { kinesalite: require(workerData.module), db: require(require('node:path').join(workerData.module, '..', 'db')) };
let store, server, options;
let listening = false;
function refusal(req, port) {
  const origin = req.headers.origin, site = req.headers['sec-fetch-site'];
  if (origin !== undefined || site !== undefined)
    return [403, 'the local Kinesis API takes no requests from web pages (' + (origin !== undefined ? 'Origin ' + origin : 'Sec-Fetch-Site ' + site) + '): use an AWS SDK or CLI'];
  const host = String(req.headers.host || '').toLowerCase();
  if (host !== '127.0.0.1:' + port && host !== 'localhost:' + port)
    return [421, 'the local Kinesis API answers to 127.0.0.1:' + port + ' or localhost:' + port + ' only, not to Host ' + JSON.stringify(req.headers.host || '')];
  if (req.method !== 'POST') return [405, 'the local Kinesis API takes POST requests only (' + req.method + ' refused; no CORS)'];
  return undefined;
}
function serve(serveKinesis, req, res) {
  res.on('error', () => undefined);
  const refused = refusal(req, server.address().port);
  if (!refused) {
    serveKinesis(req, res);
    // A body that breaks off or is malformed (a bad chunk) fails the request stream, and kinesalite rethrows that
    // failure, which would end this worker and the lake's stream with it: the request is dropped instead (Node has
    // answered 400 or the client is gone).
    req.removeAllListeners('error');
    req.on('error', () => res.destroy());
    return;
  }
  const body = JSON.stringify({ __type: 'AccessDeniedException', message: refused[1] });
  req.resume();
  res.writeHead(refused[0], { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body), 'x-amzn-ErrorType': 'AccessDeniedException', Connection: 'close' });
  res.end(body);
}

/** Removes, from each shard, the records up to and including a sequence number (records the lake has delivered). */
function trim(streamName, positions) {
  const streamDb = store.getStreamDb(streamName);
  return Promise.all(Object.entries(positions).map(([shardId, sequenceNumber]) => new Promise((resolve, reject) => {
    const shard = kinesaliteDb.shardIxToHex(Number(shardId.split('-')[1]));
    streamDb.clear({ gte: shard + '/', lte: shard + '/' + sequenceNumber }, (error) => (error ? reject(error) : resolve()));
  })));
}

const call = (port, action, body) => new Promise((resolve, reject) => {
  const data = JSON.stringify(body);
  const headers = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': 'Kinesis_20131202.' + action,
    'X-Amz-Date': '20260101T000000Z',
    Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
  };
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
    let text = '';
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : {} }));
  });
  req.on('error', reject);
  req.end(data);
});
async function createStream(port, { name, shardCount }) {
  const created = await call(port, 'CreateStream', { StreamName: name, ShardCount: shardCount });
  if (created.status !== 200 && created.body.__type !== 'ResourceInUseException') throw new Error(created.body.message || 'CreateStream failed');
  for (;;) {
    const { body } = await call(port, 'DescribeStreamSummary', { StreamName: name });
    if (body.StreamDescriptionSummary && body.StreamDescriptionSummary.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
/** The server, on the parent's 'start': the module loaded first, while the parent locked the lake's folder. */
function start() {
  const createStore = kinesaliteDb.create;
  kinesaliteDb.create = (storeOptions) => (store = createStore(storeOptions)); // kinesalite keeps its store to itself
  server = kinesalite({ path: options.path, createStreamMs: options.createStreamMs, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  kinesaliteDb.create = createStore;
  // kinesalite opens its store with no callback: a failure (a damaged LevelDB) is an 'error' event, told here.
  store.db.on('error', (error) => {
    const message = 'Kinesis data in ' + options.path + " can't be opened: " + (error && error.message) + '; move it away to start with an empty stream';
    parentPort.postMessage({ type: 'failed', message: listening ? 'Kinesis data in ' + options.path + ' failed: ' + (error && error.message) : message });
  });
  const serveKinesis = server.listeners('request')[0];
  server.removeAllListeners('request');
  server.on('request', (req, res) => serve(serveKinesis, req, res));
  server.once('error', (error) => {
    server.close(() => undefined); // releases kinesalite's store
    parentPort.postMessage({ type: 'failed', code: error.code, message: error.message });
  });
  // The store is open (LevelDB read, its log replayed) before the server listens.
  store.db.once('open', () => server.listen(options.port, '127.0.0.1', async () => {
    listening = true;
    const port = server.address().port;
    try {
      if (options.stream) await createStream(port, options.stream);
      parentPort.postMessage({ type: 'listening', port });
    } catch (error) {
      parentPort.postMessage({ type: 'failed', message: 'creating stream ' + options.stream.name + ': ' + error.message });
    }
  }));
}
parentPort.on('message', (message) => {
  if (message.type === 'start') {
    options = message.options;
    start();
    return;
  }
  if (message.type === 'trim') {
    trim(message.streamName, message.positions).then(
      () => parentPort.postMessage({ type: 'trimmed', id: message.id }),
      (error) => parentPort.postMessage({ type: 'trimmed', id: message.id, error: String(error && error.message) }),
    );
    return;
  }
  if (!server) return parentPort.postMessage({ type: 'closed' });
  server.close(() => parentPort.postMessage({ type: 'closed' }));
  // Keep-alive sockets (the SDK's, a producer's) would otherwise hold the server open.
  server.closeAllConnections();
});
`;

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'failed'; code?: string; message: string }
  | { type: 'trimmed'; id: number; error?: string }
  | { type: 'closed' };

/** A message the worker sent that is not an answer (`failed` after start), or an error of the worker itself, as one Error. */
function workerFailure(message: { message: string; code?: string } | unknown): Error {
  if (message instanceof Error) return message;
  const { message: text, code } = message as { message?: unknown; code?: string };
  return Object.assign(new Error(typeof text === 'string' ? text : `kinesalite failed: ${JSON.stringify(message)}`), code ? { code } : {});
}

/**
 * What the worker loads: kinesalite bundled into one file beside this module when the `lakehouse` command built it
 * (exporting `{ kinesalite, db }`: its 112 files load in less time as one), else its package.
 */
function kinesaliteModule(): { module: string; bundled: boolean } {
  const bundled = fileURLToPath(new URL(KINESALITE_BUNDLE, import.meta.url));
  return existsSync(bundled) ? { module: bundled, bundled: true } : { module: createRequire(import.meta.url).resolve('kinesalite'), bundled: false };
}

/** The worker's messages, routed: the start, failures after it, trims answered by id, the close. */
class WorkerChannel {
  readonly started: Promise<number>;
  private readonly trims = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextTrim = 0;
  private readonly failures: Array<(error: Error) => void> = [];
  private onFailure: (error: Error) => void = () => undefined;
  private onClosed: () => void = () => undefined;

  constructor(private readonly worker: Worker) {
    this.started = new Promise<number>((resolve, reject) => {
      this.onFailure = reject;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'listening') {
          resolve(message.port);
          // From now on a failure is the running server's, told to whoever listens.
          this.onFailure = (error) => {
            for (const listener of this.failures) listener(error);
          };
        } else if (message.type === 'failed') this.onFailure(workerFailure(message));
        else if (message.type === 'closed') this.onClosed();
        else this.answered(message);
      });
      worker.on('error', (error) => this.onFailure(workerFailure(error)));
    });
  }

  listen(listener: (error: Error) => void): void {
    this.failures.push(listener);
  }

  trim(streamName: string, positions: Readonly<Record<string, string>>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const id = this.nextTrim++;
      this.trims.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'trim', id, streamName, positions });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.onClosed = resolve));
    this.worker.postMessage({ type: 'close' });
    await closed;
    await this.worker.terminate();
    for (const trim of this.trims.values()) trim.resolve(); // the store is closed: nothing more to remove
  }

  private answered(message: Extract<WorkerMessage, { type: 'trimmed' }>): void {
    const trim = this.trims.get(message.id);
    this.trims.delete(message.id);
    if (message.error === undefined) trim?.resolve();
    else trim?.reject(new Error(`trimming delivered records failed: ${message.error}`));
  }
}

/** kinesalite's worker with its module loaded (or loading), not serving yet: `start` opens the store and listens. */
export interface LoadedKinesalite {
  /** Starts the server; rejects with the listen error (its `code`: EADDRINUSE, EACCES, …). Once. */
  start(options?: KinesaliteOptions): Promise<KinesaliteServer>;
  /** Ends the worker unstarted (the lake did not get its folder). */
  cancel(): Promise<void>;
}

/**
 * Starts kinesalite's worker, which loads the module (about 50 ms) and waits: the embedded lake loads it while it
 * locks its folder, and opens the stream on disk only once the folder is its own.
 */
export function loadKinesalite(): LoadedKinesalite {
  // No execArgv from the process: its script is CommonJS whatever the process runs with (--input-type=module).
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: kinesaliteModule(),
    execArgv: [],
    resourceLimits: { maxYoungGenerationSizeMb: KINESIS_WORKER_YOUNG_GENERATION_MIB },
  });
  const channel = new WorkerChannel(worker);
  channel.started.catch(() => undefined); // told by start
  return {
    async start(options = {}) {
      worker.postMessage({
        type: 'start',
        options: { port: options.port ?? 0, path: options.path, createStreamMs: options.createStreamMs ?? 0, stream: options.stream },
      });
      let port: number;
      try {
        port = await channel.started;
      } catch (error) {
        await worker.terminate();
        throw error;
      }
      let closing: Promise<void> | undefined;
      return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        heapStatistics: () => worker.getHeapStatistics(),
        onFailure: (listener) => channel.listen(listener),
        trim: (streamName, positions) => (closing ? Promise.resolve() : channel.trim(streamName, positions)),
        close: () => {
          closing ??= channel.close();
          return closing;
        },
      };
    },
    cancel: async () => {
      await worker.terminate();
    },
  };
}

/** Starts kinesalite; rejects with the listen error (its `code`: EADDRINUSE, EACCES, …). */
export function startKinesalite(options: KinesaliteOptions = {}): Promise<KinesaliteServer> {
  return loadKinesalite().start(options);
}
