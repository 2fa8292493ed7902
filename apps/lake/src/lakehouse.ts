import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { kinesisClient } from '@lakehouse/aws';
import { bufferingLimits, type BufferingLimits } from '@lakehouse/firehose';
import { localLayout, pipelineSettings, type DeliveryReport, type LocalLayout, type PipelineSettings, type RunningLakehouse } from '@lakehouse/pipeline';
import { parquetColumns } from '@lakehouse/schema';
import { registerTable } from './catalog';
import { LOCAL_DEFAULTS } from './defaults';
import { Delivery, type DeliveredEvent } from './delivery/delivery';
import type { ParquetWriter } from './delivery/parquet-writer';
import { errorCode, LakeError } from './errors';
import { ensureStream, startKinesisServer, type KinesisServer } from './kinesis/server';
import { ShardReader } from './kinesis/shard-reader';
import { CheckpointStore, type Recovery } from './storage/checkpoints';
import { removeIfExists, writeFileDurably } from './storage/durable';
import { isAlive, prepareTempDir } from './storage/temp-files';

export interface LakehouseOptions {
  environment: string;
  /** The lakehouse folder (`.lakehouse` by default). */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Keep the stream on disk (in `kinesis/`) so records survive a restart; in memory otherwise. */
  persist: boolean;
  /** Local buffering interval; the settings' size hint is kept unless `bufferSizeMiB` is given. */
  bufferIntervalSeconds?: number;
  bufferSizeMiB?: number;
  /** Register in `lakehouse.json` so producers find this lakehouse (not in embedded mode). */
  register: boolean;
  onDelivered?: (event: DeliveredEvent) => void;
  /** A GetRecords call failed and is being retried. */
  onRetry?: (shardId: string, error: unknown) => void;
}

export interface StartedLakehouse {
  settings: PipelineSettings;
  layout: LocalLayout;
  endpoint: string;
  streamName: string;
  shardCount: number;
  limits: BufferingLimits;
  /** The stream was on disk from an earlier run. */
  resumed: boolean;
  recovery: Recovery | undefined;
  /** Temporary files of earlier runs' unfinished deliveries, removed at start-up. */
  discardedTempFiles: number;
  /** Rejects when delivery fails for good (it then stops reading; positions stay at the last durable delivery). */
  failed: Promise<never>;
  /**
   * Reads every shard to its tip, stops reading, delivers everything buffered, closes the Kinesis endpoint,
   * unregisters, and reports. (Records put while it stops stay in the stream: delivered at the next start with
   * `persist`.)
   */
  stop(): Promise<DeliveryReport>;
  /** Stops at once without draining, before the process exits (with the stream on disk, what was buffered is delivered at the next start). */
  abort(): Promise<void>;
}

/** Settings for an environment, with a clear message for a bad name. */
export function settingsFor(environment: string): PipelineSettings {
  try {
    return pipelineSettings(environment);
  } catch (error) {
    throw new LakeError(`--env ${environment}: ${(error as Error).message}`, 2);
  }
}

/** Creates the data folder if needed and proves it can be written, so that a problem is one line up front. */
async function checkWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    await writeFile(probe, '');
    await removeIfExists(probe);
  } catch (error) {
    const code = errorCode(error);
    const reasons: Record<string, string> = {
      ENOTDIR: 'a file is in the way of the folder',
      EEXIST: 'a file is in the way of the folder',
      EROFS: 'the file system is read-only',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
    };
    const reason = (code && reasons[code]) ?? (error as Error).message;
    throw new LakeError(`data dir ${dir} is not writable (${reason}); pass another --data-dir or fix its permissions`);
  }
}

async function readRunning(file: string): Promise<RunningLakehouse | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RunningLakehouse;
  } catch {
    return undefined;
  }
}

/** Starts Kinesis and the delivery for one environment; resolves once the stream is ready for producers. */
export async function startLakehouse(options: LakehouseOptions): Promise<StartedLakehouse> {
  const settings = settingsFor(options.environment);
  const dataDir = resolve(options.dataDir);
  const layout = localLayout(dataDir, settings);
  await checkWritable(dataDir);

  if (options.register) {
    const running = await readRunning(layout.runningFile);
    if (running && running.pid !== process.pid && isAlive(running.pid)) {
      throw new LakeError(`a lakehouse is already running for ${dataDir} (pid ${running.pid}, ${running.endpoint}); use it, or stop it first`);
    }
  }

  const limits: BufferingLimits = bufferingLimits({
    sizeMiB: options.bufferSizeMiB ?? settings.buffering.sizeMiB,
    intervalSeconds: options.bufferIntervalSeconds ?? Math.min(LOCAL_DEFAULTS.bufferIntervalSeconds, settings.buffering.intervalSeconds),
  });

  if (options.persist) await mkdir(layout.kinesisDir, { recursive: true });
  const server: KinesisServer = await startKinesisServer({
    host: LOCAL_DEFAULTS.host,
    port: options.port,
    ...(options.persist ? { dataDir: layout.kinesisDir } : {}),
    ...(options.register ? { runningFile: layout.runningFile } : {}),
  });
  // Readers retry on their own; other calls are local and either work or say why.
  const client = kinesisClient({ endpoint: server.endpoint, maxAttempts: 1 });
  let writer: Promise<ParquetWriter> | undefined;
  try {
    const stream = await ensureStream(client, settings);
    const table = await registerTable(layout, settings);
    const { dir: tmpDir, discarded } = await prepareTempDir(join(dataDir, LOCAL_DEFAULTS.tmpDirName));

    let checkpoints: CheckpointStore;
    let recovery: Recovery | undefined;
    if (options.persist) {
      ({ store: checkpoints, recovery } = await CheckpointStore.open({ file: layout.checkpointFile, stream: stream.identity, bucketDir: layout.bucketDir }));
    } else {
      checkpoints = CheckpointStore.inMemory(stream.identity);
    }

    let fail: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failed.catch(() => undefined); // observed through `failed` by the caller

    const columns = parquetColumns();
    const delivery = new Delivery({
      settings,
      bucketDir: layout.bucketDir,
      tmpDir,
      limits,
      columns,
      table: { catalogId: null, databaseName: table.databaseName, tableName: table.name, region: LOCAL_DEFAULTS.region, versionId: 'LATEST', catalogArn: null },
      checkpoints,
      // DuckDB loads on the first delivery, keeping start-up fast.
      writer: () => (writer ??= import('./delivery/parquet-writer').then(({ ParquetWriter }) => ParquetWriter.create(columns))),
      ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
      onFailure: (error) => fail(error),
    });

    const readers = stream.shards.map((shard) => {
      const shardId = shard.ShardId ?? '';
      const reader = new ShardReader({
        client,
        streamName: settings.streamName,
        shardId,
        after: checkpoints.position(shardId),
        limit: LOCAL_DEFAULTS.getRecordsLimit,
        pollIntervalMs: LOCAL_DEFAULTS.pollIntervalMs,
        onRecords: (records) => delivery.add(records),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      });
      reader.done.catch((error: unknown) => fail(error));
      return reader;
    });

    if (options.register) {
      const running: RunningLakehouse = { pid: process.pid, endpoint: server.endpoint, environment: settings.environment, streamName: settings.streamName, startedAt: new Date().toISOString() };
      // Atomic, so a producer never reads half of it.
      await writeFileDurably(layout.runningFile, `${JSON.stringify(running, null, 2)}\n`);
    }

    const drain = async (): Promise<DeliveryReport> => {
      await Promise.all(readers.map((r) => r.caughtUp()));
      // Stopped readers hand over the page in flight; then everything read is in the buffer, delivered next.
      await Promise.all(readers.map((r) => r.stop()));
      await delivery.flush('drain');
      return delivery.report({ bucketDir: layout.bucketDir, catalogFile: layout.catalogFile });
    };
    /** Stops reading and serving (once); a graceful close also releases DuckDB and this process's temp folder. */
    let closing: Promise<void> | undefined;
    const close = (graceful: boolean): Promise<void> => (closing ??= closeNow(graceful));
    const closeNow = async (graceful: boolean): Promise<void> => {
      delivery.close();
      await Promise.allSettled(readers.map((r) => r.stop()));
      await server.close();
      if (options.register) {
        const running = await readRunning(layout.runningFile);
        if (running?.pid === process.pid) await removeIfExists(layout.runningFile);
      }
      // An aborted process exits next: a delivery may still be writing, so DuckDB and the temp folder are left as
      // they are (the next start removes the folder of a process that is gone).
      if (!graceful) return;
      (await writer?.catch(() => undefined))?.close();
      await rm(tmpDir, { recursive: true, force: true });
    };

    return {
      settings,
      layout,
      endpoint: server.endpoint,
      streamName: settings.streamName,
      shardCount: stream.shards.length,
      limits,
      resumed: stream.existed,
      recovery,
      discardedTempFiles: discarded,
      failed,
      stop: async () => {
        let drained = false;
        try {
          const report = await drain();
          drained = true;
          return report;
        } finally {
          await close(drained);
        }
      },
      abort: () => close(false),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
