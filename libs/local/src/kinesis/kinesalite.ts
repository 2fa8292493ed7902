/**
 * kinesalite, the Kinesis API on LevelDB, as the kit starts it: the local lake serves it, and the producer's
 * tests and benchmarks send to it. Its own entry (`@lakehouse/runtime/kinesalite`), so that nothing else loads it.
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
}

/** What the worker runs: kinesalite on 127.0.0.1. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const kinesalite = require(workerData.module);
const server = kinesalite({ path: workerData.path, createStreamMs: workerData.createStreamMs, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.once('error', (error) => {
  server.close(() => undefined); // releases kinesalite's store
  parentPort.postMessage({ type: 'failed', code: error.code, message: error.message });
});
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
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
  const workerData = { module, port: options.port ?? 0, path: options.path, createStreamMs: options.createStreamMs ?? 0 };
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
    throw Object.assign(new Error(started.type === 'failed' ? started.message : 'kinesalite did not start'), started.type === 'failed' ? { code: started.code } : {});
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
