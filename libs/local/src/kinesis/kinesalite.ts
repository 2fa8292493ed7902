/**
 * kinesalite, the Kinesis API on LevelDB, as the kit starts it: the local lake serves it, and the producer's
 * tests and benchmarks send to it. Its own entry (`@lakehouse/local/kinesalite`), so that nothing else loads it.
 *
 * It runs on a worker thread: loading it, and serving requests, never waits behind what the lake's own thread does
 * (converting records, loading DuckDB, writing Parquet), and on two cores the two go side by side.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface KinesaliteServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
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
 * What the worker runs: kinesalite on 127.0.0.1, and the stream asked for, created over its own API (Kinesis' JSON
 * protocol; kinesalite checks that a request is signed, not the signature) and waited for until ACTIVE.
 */
const WORKER = `
require('node:module').enableCompileCache?.();
const { request } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const kinesalite = require(workerData.module);
const server = kinesalite({ path: workerData.path, createStreamMs: workerData.createStreamMs, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
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
server.once('error', (error) => {
  server.close(() => undefined); // releases kinesalite's store
  parentPort.postMessage({ type: 'failed', code: error.code, message: error.message });
});
server.listen(workerData.port, '127.0.0.1', async () => {
  const port = server.address().port;
  try {
    if (workerData.stream) await createStream(port, workerData.stream);
    parentPort.postMessage({ type: 'listening', port });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: 'creating stream ' + workerData.stream.name + ': ' + error.message });
  }
});
parentPort.on('message', () => {
  server.close(() => parentPort.postMessage({ type: 'closed' }));
  // Keep-alive sockets (the SDK's, a producer's) would otherwise hold the server open.
  server.closeAllConnections();
});
`;

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; code?: string; message: string } | { type: 'closed' };

/** Starts kinesalite; rejects with the listen error (its `code`: EADDRINUSE, EACCES, …). */
export async function startKinesalite(options: KinesaliteOptions = {}): Promise<KinesaliteServer> {
  const module = createRequire(import.meta.url).resolve('kinesalite');
  const workerData = { module, port: options.port ?? 0, path: options.path, createStreamMs: options.createStreamMs ?? 0, stream: options.stream };
  const worker = new Worker(WORKER, { eval: true, workerData });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (message: WorkerMessage) => {
        worker.off('error', onError);
        resolve(message);
      });
    });
  const started = await next();
  if (started.type !== 'listening') {
    await worker.terminate();
    throw Object.assign(
      new Error(started.type === 'failed' ? started.message : 'kinesalite did not start'),
      started.type === 'failed' ? { code: started.code } : {},
    );
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${started.port}`,
    port: started.port,
    close: () => {
      closing ??= (async () => {
        const closed = next();
        worker.postMessage('close');
        await closed;
        await worker.terminate();
      })();
      return closing;
    },
  };
}
