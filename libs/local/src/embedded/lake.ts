/**
 * The embedded lake of a send: `lakehouse send` with no lake:up running starts the lakehouse in its own process,
 * for the run, and drains it at the end. It is ready as soon as it takes records: the data folder's lock, then the
 * Kinesis API with its stream, kept on disk (kinesalite's LevelDB, on its worker thread). The rest of the lakehouse
 * (the delivery's modules, DuckDB) loads meanwhile on the calling thread, and its readers start once it is ready.
 *
 * Nothing Kinesis acknowledged is lost if the process is killed (kill -9 included): a record is written to LevelDB
 * (its log, handed to the OS) before PutRecords answers, the delivery commits in two durable steps, and the next start
 * on the folder (a send, or `lakehouse up --persist`) delivers what is left, exactly once.
 */
import { mkdir } from 'node:fs/promises';
import { partitionKeyQuery, type PipelineSettings, pipelineSettings, SettingsError, shardCountOf } from '@lakehouse/pipeline';
import { LakehouseError, usageError } from '@lakehouse/runtime';
import { startJq } from '../delivery/jq-process';
import { loadKinesalite, type KinesaliteServer } from '../kinesis/kinesalite';
import { localLayout } from '../layout';
import { checkWritable } from '../storage/data-dir';
import { DataDirLock } from '../storage/lock';
import type { DeliveryReport } from './protocol';

export interface EmbeddedLakeOptions {
  /** The lakehouse's folder: the stream on disk, the bucket, the catalog. */
  dataDir: string;
  environment: string;
  /** Told of each GetRecords call retried (--verbose). */
  onRetry?: (shardId: string, error: unknown) => void;
}

/** The producer's handle on the lake it started for this run. */
export interface EmbeddedLake {
  endpoint: string;
  streamName: string;
  /** Reads the stream to its end, delivers everything, stops; resolves with what it delivered. */
  drain(): Promise<DeliveryReport>;
  /** Stops without delivering (after a failure); what was sent stays on disk, delivered at the next start. */
  kill(): Promise<void>;
}

/**
 * The folder's lock and the Kinesis API with its stream on disk; the lock is given back if the server can't start.
 * `whileStreamStarts` is called once the worker has been told to start it.
 */
async function startStream(
  dataDir: string,
  environment: string,
  whileStreamStarts: () => void,
): Promise<{ lock: DataDirLock; server: KinesaliteServer; streamName: string; settings: PipelineSettings }> {
  let settings: ReturnType<typeof pipelineSettings>;
  try {
    settings = pipelineSettings(environment);
  } catch (error) {
    if (error instanceof SettingsError) throw usageError(`--env: ${error.reason}`);
    throw error;
  }
  const layout = localLayout(dataDir, settings);
  // kinesalite's module loads on its worker while this thread locks the folder; its store opens once the lock is held.
  const kinesalite = loadKinesalite();
  let lock: DataDirLock;
  try {
    await checkWritable(dataDir);
    lock = await DataDirLock.acquire(dataDir, 'embedded');
  } catch (error) {
    await kinesalite.cancel();
    throw error;
  }
  try {
    await mkdir(layout.kinesisDir, { recursive: true });
    const stream = { name: settings.streamName, shardCount: shardCountOf(settings.capacity) };
    const starting = kinesalite.start({ port: 0, path: layout.kinesisDir, stream });
    whileStreamStarts();
    const server = await starting;
    await lock.update({ endpoint: server.endpoint });
    return { lock, server, streamName: settings.streamName, settings };
  } catch (error) {
    await kinesalite.cancel();
    await lock.release();
    throw error instanceof LakehouseError ? error : new LakehouseError('lakehouse', (error as Error).message, { cause: error });
  }
}

/** The engine's modules, and DuckDB opened for its Parquet writes, loading. */
function loadEngine() {
  const modules = Promise.all([import('../lakehouse'), import('../options')]);
  const writer = modules.then(([{ loadParquetWriter }]) => loadParquetWriter());
  writer.catch(() => undefined); // a failure is reported by the delivery that needs it
  return { modules, writer };
}

/** Starts the embedded lake; resolves once its stream takes records. A failure is one line (exit 8, or 2 for --env). */
export async function startEmbeddedLake(options: EmbeddedLakeOptions): Promise<EmbeddedLake> {
  const { dataDir, environment, onRetry } = options;
  // The engine loads on this thread while the worker opens the stream's store and creates the stream: this thread
  // would wait for it there anyway. Not sooner, or the lock's answer would wait behind it.
  let engine: ReturnType<typeof loadEngine> | undefined;
  const startEngine = () => (engine ??= loadEngine());
  const closeWriter = () => void engine?.writer.then((w) => w.close()).catch(() => undefined);
  const { lock, server, streamName, settings } = await startStream(dataDir, environment, startEngine).catch((error: unknown) => {
    closeWriter();
    throw error;
  });
  // Once the stream takes records (not before: spawning costs the ready time), jq starts and compiles the partition
  // key query in its own process while the engine loads.
  if (settings.partitioning === 'event-time') startJq(partitionKeyQuery()).catch(() => undefined); // the delivery says it
  const { modules, writer } = startEngine(); // started while the stream started
  const lakehouse = modules.then(([{ Lakehouse }, { resolveOptions }]) =>
    Lakehouse.start({
      ...resolveOptions({ environment, dataDir, port: 0, persist: true }),
      server: Promise.resolve(server),
      lock,
      writer,
      ...(onRetry ? { onRetry } : {}),
    }),
  );
  lakehouse.catch(closeWriter); // the failure itself is reported by drain
  const failed = (error: unknown) =>
    new LakehouseError('lakehouse', `the embedded lakehouse failed while delivering: ${(error as Error).message}`, { cause: error });
  return {
    endpoint: server.endpoint,
    streamName,
    async drain() {
      const lake = await lakehouse.catch((error: unknown) => {
        throw failed(error);
      });
      const failure = new Promise<never>((_, reject) => lake.onFailure((error) => reject(failed(error))));
      try {
        return await Promise.race([lake.stop().catch((error: unknown) => Promise.reject(failed(error))), failure]);
      } catch (error) {
        await lake.abort();
        throw error;
      }
    },
    kill: () =>
      lakehouse.then(
        (lake) => lake.abort(),
        () => undefined, // a lake that did not start has released everything
      ),
  };
}
