import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '@lakehouse/aws';
import { bufferingLimits, type BufferingLimits } from '@lakehouse/firehose';
import type { ResolvedOptions } from './options';
import { type PipelineSettings } from '@lakehouse/pipeline';
import { localLayout, type LocalLayout } from './layout';
import { findRunningLake, type RunningLake } from './running-lake';
import type { DeliveredObject, DeliveryReport } from './embedded/protocol';
import type { KinesaliteServer } from './kinesis/kinesalite';
import { parquetColumns } from '@lakehouse/schema';
import { Delivery } from './delivery/delivery';
import type { ParquetWriter } from './delivery/parquet-writer';
import { ensureStream, startKinesisServer, type ReadyStream } from './kinesis/kinesis-server';
import { ShardReader } from './kinesis/shard-reader';
import { CheckpointStore, type Recovery, type ShardPositions } from './storage/checkpoints';
import { checkWritable } from './storage/data-dir';
import { DataDirLock } from './storage/lock';
import { removeIfExists, writeFileDurably } from './storage/durable';
import { prepareTempDir } from './storage/temp-files';
import { registerTable } from './catalog';
import { LOCAL_DEFAULTS } from './defaults';
import { PipelineMetrics } from './metrics';

/** What the engine takes: the options checked and completed, and (the embedded lake) the folder's lock and a Kinesis server already taken. */
export interface EngineOptions extends ResolvedOptions {
  /** A Kinesis server already starting: the embedded lake starts it first, while the rest loads. */
  server?: Promise<KinesaliteServer>;
  /** The data folder's lock, already taken (with `server`); the lake releases it when it stops. */
  lock?: DataDirLock;
  /** What this lake is, for the message a second start on the folder prints. */
  kind?: string;
  /** Seconds a delivered record stays in the stream; `LOCAL_DEFAULTS.deliveredRetentionSeconds` when absent. */
  deliveredRetentionSeconds?: number;
  /** DuckDB for the Parquet writes, already loading (the embedded lake loads it while its stream starts). */
  writer?: Promise<ParquetWriter>;
}

/** What a started lakehouse is, for the banner and the producer. */
export interface LakehouseInfo {
  settings: PipelineSettings;
  /** The region clients sign with; local endpoints ignore it. */
  region: string;
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
}

/** What the banner and the producer are told: the settings, where things are, what start-up found. */
function infoOf(options: EngineOptions, layout: LocalLayout, server: KinesaliteServer, stream: ReadyStream, storage: Storage): LakehouseInfo {
  const { settings } = options;
  return {
    settings,
    region: LOCAL_DEFAULTS.region,
    layout,
    endpoint: server.endpoint,
    streamName: settings.streamName,
    shardCount: stream.shards.length,
    limits: bufferingLimits({
      sizeMiB: options.bufferSize ?? settings.buffering.sizeMiB,
      intervalSeconds: options.bufferInterval ?? Math.min(LOCAL_DEFAULTS.bufferIntervalSeconds, settings.buffering.intervalSeconds),
    }),
    resumed: stream.existed,
    recovery: storage.recovery,
    discardedTempFiles: storage.discardedTempFiles,
  };
}

/** Where deliveries write and what start-up found there. */
interface Storage {
  checkpoints: CheckpointStore;
  recovery: Recovery | undefined;
  tmpDir: string;
  discardedTempFiles: number;
}

/** The checkpoints (on disk with a stream on disk, else in memory) and this process's temp folder. */
async function openStorage(layout: LocalLayout, stream: ReadyStream, persist: boolean): Promise<Storage> {
  const { dir: tmpDir, discarded } = await prepareTempDir(join(layout.dir, LOCAL_DEFAULTS.tmpDirName));
  if (!persist) return { checkpoints: CheckpointStore.inMemory(stream.identity), recovery: undefined, tmpDir, discardedTempFiles: discarded };
  const { store, recovery } = await CheckpointStore.open({ file: layout.checkpointFile, stream: stream.identity, bucketDir: layout.bucketDir });
  return { checkpoints: store, recovery, tmpDir, discardedTempFiles: discarded };
}

/**
 * The local lakehouse: Kinesis (kinesalite) on 127.0.0.1, a reader per shard, and Firehose's delivery to Parquet
 * in the bucket folder. `start` resolves once the stream takes records; `stop` drains and delivers; `abort` doesn't.
 */
export class Lakehouse {
  private readonly failureListeners: Array<(error: unknown) => void> = [];
  private failure: unknown;
  /** Loaded by the first delivery (or by warmUp), unless it was given already loading. */
  private writer: Promise<ParquetWriter> | undefined;
  private readonly delivery: Delivery;
  private readonly readers: ShardReader[];
  private closing: Promise<void> | undefined;
  /** What `lakehouse.json` says, and its writes, one after another. */
  private running: RunningLake | undefined;
  private registering: Promise<void> = Promise.resolve();
  /** Positions committed and when, oldest first, until they are trimmed from the stream. */
  private readonly delivered: Array<{ at: number; positions: ShardPositions }> = [];
  /** The local twins of the pipeline's CloudWatch metrics, for the console. */
  readonly metrics = new PipelineMetrics();

  private constructor(
    readonly info: LakehouseInfo,
    private readonly server: KinesaliteServer,
    private readonly client: KinesisClient,
    private readonly storage: Storage,
    stream: ReadyStream,
    private readonly options: EngineOptions,
    private readonly lock: DataDirLock,
  ) {
    const { settings, layout, limits } = info;
    this.writer = options.writer; // closed with the lake even if nothing was delivered
    this.delivery = new Delivery({
      settings,
      bucketDir: layout.bucketDir,
      tmpDir: storage.tmpDir,
      limits,
      columns: parquetColumns(),
      table: {
        catalogId: null,
        databaseName: settings.databaseName,
        tableName: settings.tableName,
        region: LOCAL_DEFAULTS.region,
        versionId: 'LATEST',
        catalogArn: null,
      },
      checkpoints: storage.checkpoints,
      writer: () => this.parquetWriter(),
      onJq: (durationMillis) => this.metrics.jqProcessed(durationMillis),
      onDelivered: (event) => {
        this.metrics.delivered(event.object);
        this.observePartitions();
        options.onDelivered?.(event);
      },
      ...(options.onCommitStep ? { onCommitStep: options.onCommitStep } : {}),
      onFailure: (error) => this.fail(error),
    });
    this.readers = stream.shards.map((shard) => this.readShard(shard.ShardId ?? ''));
    server.onFailure((error) => this.fail(error));
    // What earlier runs delivered leaves a stream kept on disk now (a short run never reaches the retention).
    this.trimAll();
    storage.checkpoints.onCommit((positions) => {
      this.trimDelivered(positions);
      if (options.register) this.register(positions).catch((error: unknown) => this.fail(error));
    });
  }

  static async start(options: EngineOptions): Promise<Lakehouse> {
    const { settings } = options;
    const layout = localLayout(options.dataDir, settings);
    let lock = options.lock;
    try {
      // The folder's lock before anything else touches it: a second lake on it stops here, with one line.
      if (!lock) {
        await checkWritable(layout.dir);
        lock = await DataDirLock.acquire(layout.dir, options.kind ?? 'startLakehouse');
      }
      if (options.persist) await mkdir(layout.kinesisDir, { recursive: true });
    } catch (error) {
      void options.server?.then((s) => s.close()).catch(() => undefined);
      await lock?.release();
      throw error;
    }
    const server = await (options.server ?? startKinesisServer({ port: options.port, ...(options.persist ? { dataDir: layout.kinesisDir } : {}) })).catch(
      async (error: unknown) => {
        await lock.release();
        throw error;
      },
    );
    // Readers retry on their own; other calls are local and either work or say why.
    const client = kinesisClient({ endpoint: server.endpoint, maxAttempts: 1 });
    try {
      await lock.update({ endpoint: server.endpoint });
      const stream = await ensureStream(client, settings);
      await registerTable(layout, settings);
      const storage = await openStorage(layout, stream, options.persist);
      const lake = new Lakehouse(infoOf(options, layout, server, stream, storage), server, client, storage, stream, options, lock);
      if (options.register) await lake.register();
      return lake;
    } catch (error) {
      client.destroy();
      await server.close();
      await lock.release();
      throw error;
    }
  }

  /** Called once, with the first failure that stops delivery (it then stops reading; positions stay at the last durable delivery). */
  onFailure(listener: (error: unknown) => void): void {
    if (this.failure !== undefined) listener(this.failure);
    else this.failureListeners.push(listener);
  }

  /** Loads DuckDB now, in the background, so that the first delivery doesn't wait for it. */
  warmUp(): void {
    this.parquetWriter().catch(() => undefined); // a failure is reported by the delivery that needs it
  }

  /**
   * Reads every shard to its tip, stops reading, delivers everything buffered, closes the Kinesis endpoint,
   * unregisters, and reports. (Records put while it stops stay in the stream: delivered at the next start with
   * `persist`.)
   */
  async stop(): Promise<DeliveryReport> {
    let drained = false;
    try {
      await Promise.all(this.readers.map((r) => r.caughtUp()));
      // Stopped readers hand over the page in flight; then everything read is in the buffer, delivered next.
      await Promise.all(this.readers.map((r) => r.stop()));
      await this.delivery.flush('drain');
      // Nothing reads alongside any more: what is delivered leaves the stream, which keeps only what is not.
      await this.server.trim(this.info.streamName, this.storage.checkpoints.delivered());
      drained = true;
      return this.delivery.report({ bucketDir: this.info.layout.bucketDir, catalogFile: this.info.layout.catalogFile });
    } finally {
      await this.close(drained);
    }
  }

  /**
   * Reads every shard to its tip and delivers what is buffered, now: everything put before the call is in the bucket
   * when it resolves, with the objects it delivered (none when nothing was buffered).
   */
  async flush(): Promise<DeliveryReport> {
    const paths = { bucketDir: this.info.layout.bucketDir, catalogFile: this.info.layout.catalogFile };
    const before = this.delivery.report(paths).objects.length;
    await Promise.all(this.readers.map((r) => r.caughtUp()));
    await this.delivery.flush('flush');
    const objects = this.delivery.report(paths).objects.slice(before);
    const records = (kind: DeliveredObject['kind']) => objects.filter((o) => o.kind === kind).reduce((n, o) => n + o.records, 0);
    return { ...paths, objects, recordsDelivered: records('data'), recordsFailed: records('error') };
  }

  /** An AWS SDK Kinesis client for this lake's endpoint. */
  kinesisClient(): KinesisClient {
    return kinesisClient({ endpoint: this.info.endpoint });
  }

  /** Event-time partitioning: the active partitions and the limit, for the live metrics (Firehose's PartitionCount…). */
  private observePartitions(): void {
    if (this.info.settings.partitioning === 'event-time') this.metrics.observePartitions(this.delivery.partitionState());
  }

  /** The delivery buffer now, for the live metrics. */
  bufferState(): ReturnType<Delivery['bufferState']> {
    return this.delivery.bufferState();
  }

  /** Stops at once without draining, before the process exits (with the stream on disk, what was buffered is delivered at the next start). */
  abort(): Promise<void> {
    return this.close(false);
  }

  private readShard(shardId: string): ShardReader {
    const reader = new ShardReader({
      client: this.client,
      streamName: this.info.streamName,
      shardId,
      after: this.storage.checkpoints.position(shardId),
      limit: LOCAL_DEFAULTS.getRecordsLimit,
      pollIntervalMs: LOCAL_DEFAULTS.pollIntervalMs,
      onRecords: async (records) => {
        this.metrics.read(records);
        await this.delivery.add(records);
        this.observePartitions();
      },
      onCaughtUp: () => {
        this.metrics.caughtUp();
        this.observePartitions();
      },
      ...(this.options.onRetry ? { onRetry: this.options.onRetry } : {}),
    });
    reader.done.catch((error: unknown) => this.fail(error));
    return reader;
  }

  /**
   * Records delivered (their positions durable) leave the stream once they are `deliveredRetentionSeconds` old as
   * delivered, so the stream holds what is not yet delivered plus that window: its memory (or disk) stays bounded
   * however long the lake runs, where kinesalite would keep every record for the stream's 24 hours.
   */
  private trimDelivered(positions: ShardPositions): void {
    const now = Date.now();
    this.delivered.push({ at: now, positions });
    const due: ShardPositions = {};
    const retentionMs = (this.options.deliveredRetentionSeconds ?? LOCAL_DEFAULTS.deliveredRetentionSeconds) * 1000;
    while (this.delivered[0] && this.delivered[0].at <= now - retentionMs) {
      Object.assign(due, this.delivered.shift()?.positions);
    }
    if (Object.keys(due).length > 0) this.server.trim(this.info.streamName, due).catch((error: unknown) => this.fail(error));
  }

  private trimAll(): void {
    const delivered = this.storage.checkpoints.delivered();
    if (Object.keys(delivered).length > 0) this.server.trim(this.info.streamName, delivered).catch((error: unknown) => this.fail(error));
  }

  private parquetWriter(): Promise<ParquetWriter> {
    this.writer ??= loadParquetWriter();
    return this.writer;
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const listener of this.failureListeners.splice(0)) listener(error);
  }

  /**
   * Writes `lakehouse.json` atomically, so a producer never reads half of it; rewritten after each delivery with the
   * positions delivered, so that a producer can tell what a lake killed meanwhile had not delivered.
   */
  private register(delivered: ShardPositions = {}): Promise<void> {
    const { settings, layout, endpoint } = this.info;
    this.running ??= { pid: process.pid, endpoint, environment: settings.environment, streamName: settings.streamName, startedAt: new Date().toISOString() };
    this.running = { ...this.running, persist: this.options.persist, delivered: { ...this.running.delivered, ...delivered } };
    const content = `${JSON.stringify(this.running, null, 2)}\n`;
    this.registering = this.registering.then(() => (this.closing ? undefined : writeFileDurably(layout.runningFile, content)));
    return this.registering;
  }

  /** Stops reading and serving (once); a graceful close also releases DuckDB and this process's temp folder. */
  private close(graceful: boolean): Promise<void> {
    this.closing ??= this.closeNow(graceful);
    return this.closing;
  }

  private async closeNow(graceful: boolean): Promise<void> {
    this.delivery.close();
    await Promise.allSettled(this.readers.map((r) => r.stop()));
    this.client.destroy();
    await this.server.close();
    if (this.options.register) {
      await this.registering.catch(() => undefined);
      const running = await findRunningLake(this.info.layout.runningFile);
      if (running?.pid === process.pid) await removeIfExists(this.info.layout.runningFile);
    }
    await this.lock.release();
    // An aborted process exits next: a delivery may still be writing, so DuckDB and the temp folder are left as
    // they are (the next start removes the folder of a process that is gone).
    if (!graceful) return;
    (await this.writer?.catch(() => undefined))?.close();
    await rm(this.storage.tmpDir, { recursive: true, force: true });
  }
}

/** DuckDB, loaded and opened for the delivery's Parquet writes. */
export function loadParquetWriter(): Promise<ParquetWriter> {
  return import('./delivery/parquet-writer').then(({ ParquetWriter }) => ParquetWriter.create(parquetColumns()));
}
