/**
 * `startLakehouse`: the local lakehouse from code, as `lakehouse up` runs it. Everything heavy (kinesalite, DuckDB,
 * the SQL parser, the console's server) loads when a lake starts or first queries, not when this module is imported.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { QueryResult } from '@lakehouse/console-api';
import type { PipelineSettings } from '@lakehouse/pipeline';
import type { ConsoleServer } from './console/server';
import type { DeliveryReport } from './embedded/protocol';
import type { Lakehouse, LakehouseInfo } from './lakehouse';
import type { LocalLayout } from './layout';
import type { PipelineMetrics } from './metrics';
import type { LakehouseOptions, ResolvedOptions } from './options';
import type { Dialect } from './query/dialects';

/** A row as `lakehouse query --json` prints it: numbers and booleans typed, NULL as null. */
export type QueryRow = Record<string, unknown>;

/** What `query()` answers: the columns with their types, and the rows as objects. */
export interface RowsResult {
  columns: QueryResult['columns'];
  rows: QueryRow[];
  elapsedMs: number;
}

/** A running local lakehouse. `stop()` (or `await using`) delivers what is buffered and releases everything. */
export interface LocalLakehouse extends AsyncDisposable {
  /** The Kinesis API: `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly streamName: string;
  /** The region clients sign with (local endpoints ignore it). */
  readonly region: string;
  readonly settings: PipelineSettings;
  /** The lake's folder and where each part keeps its files (the bucket, the catalog, the stream on disk). */
  readonly layout: LocalLayout;
  /** What start-up found: the shards, the buffering in force, a resumed stream, a recovered delivery. */
  readonly info: LakehouseInfo;
  /** The console's address, when started with `console: true`. */
  readonly consoleUrl: string | undefined;
  /** The local twins of the pipeline's CloudWatch metrics: totals since start, and per second. */
  readonly metrics: PipelineMetrics;
  /** For a process of yours: the AWS SDKs and CLIs send to this lake's Kinesis with these variables. */
  readonly env: Readonly<Record<string, string>>;
  /** An AWS SDK Kinesis client for this lake (destroy it when done). */
  kinesisClient(): KinesisClient;
  /** Reads every shard to its tip and delivers what is buffered; resolves with the objects it delivered. */
  flush(): Promise<DeliveryReport>;
  /** SQL over the lake as it is now (Athena's by default, `dialect: 'duckdb'` for DuckDB's), read-only and sandboxed. */
  query(sql: string, options?: { dialect?: Dialect }): Promise<RowsResult>;
  /** Reads the stream to its end, delivers the buffer, closes the console and the endpoint; resolves with every object delivered. */
  stop(): Promise<DeliveryReport>;
  /** Stops at once, delivering nothing more (with the stream on disk, the next start delivers what was buffered). */
  abort(): Promise<void>;
  /** Resolves with the first failure that stopped delivery (a full disk …); never when there is none. */
  failed(): Promise<unknown>;
}

/** The console over a running lake, if asked for. */
async function startConsoleOf(lake: Lakehouse, options: ResolvedOptions & InternalOptions): Promise<ConsoleServer | undefined> {
  if (!options.console) return undefined;
  const { startConsole } = await import('./console/start-console');
  return startConsole({
    settings: lake.info.settings,
    layout: lake.info.layout,
    port: options.consolePort,
    ...(options.consoleAssetsDir ? { assetsDir: options.consoleAssetsDir } : {}),
    live: { endpoint: lake.info.endpoint, metrics: lake.metrics, bufferState: () => lake.bufferState() },
    ...(options.log ? { log: options.log } : {}),
    queryLimits: {
      ...(options.queryTimeout === undefined ? {} : { timeoutSeconds: options.queryTimeout }),
      ...(options.queryMemory === undefined ? {} : { memoryMiB: options.queryMemory }),
      ...(options.queryConcurrency === undefined ? {} : { concurrency: options.queryConcurrency }),
    },
  });
}

/** The handle on a started engine (and its console). */
function handleOf(lake: Lakehouse, consoleServer: ConsoleServer | undefined): LocalLakehouse {
  const { info } = lake;
  const { region } = info;
  let stopping: Promise<DeliveryReport> | undefined;
  // The console stays open until the lake has stopped: its page shows the last delivery.
  const stop = () => {
    // Queries first: they run in processes of their own, but their CPU is better spent on the last delivery.
    consoleServer?.stopQueries();
    stopping ??= lake.stop().finally(() => consoleServer?.close());
    return stopping;
  };
  const abort = () => lake.abort().finally(() => consoleServer?.close());
  return {
    endpoint: info.endpoint,
    streamName: info.streamName,
    region,
    settings: info.settings,
    layout: info.layout,
    info,
    consoleUrl: consoleServer?.url,
    metrics: lake.metrics,
    env: { AWS_ENDPOINT_URL_KINESIS: info.endpoint, AWS_REGION: region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    kinesisClient: () => lake.kinesisClient(),
    flush: () => lake.flush(),
    query: (sql, options = {}) => queryRows(info, sql, options.dialect),
    stop,
    abort,
    failed: () => new Promise((resolve) => lake.onFailure(resolve)),
    [Symbol.asyncDispose]: async () => void (await stop()),
  };
}

async function queryRows(info: LakehouseInfo, sql: string, dialect: Dialect = 'athena'): Promise<RowsResult> {
  const [{ QueryEngine }, { jsonValue }] = await Promise.all([import('./query/engine'), import('@lakehouse/console-api')]);
  const engine = await QueryEngine.open(info.layout.dir, info.layout.catalogFile, { database: info.settings.databaseName, dialect });
  try {
    const { columns, rows, elapsedMs } = await engine.query(sql);
    return { columns, rows: rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, jsonValue(row[i] ?? null, c.type)]))), elapsedMs };
  } finally {
    engine.close();
  }
}

/** What the kit's own commands pass besides the public options. */
export interface InternalOptions {
  /** The console page's build (the `lakehouse` command builds it); `apps/console/dist` otherwise. */
  consoleAssetsDir?: string;
  /** Where the console tells an error no one classified (the page gets one line). */
  log?: { say: (line: string) => void; verbose: boolean };
  /** The console is optional here: told why it did not start, the lake runs on without it (`lakehouse up`). */
  onConsoleError?: (error: unknown) => void;
  /** What this lake is (`lakehouse up`), for the one line a second start on its folder prints. */
  kind?: string;
  /** Seconds a delivered record stays in the stream (`LOCAL_DEFAULTS.deliveredRetentionSeconds`): shorter in a test of memory. */
  deliveredRetentionSeconds?: number;
}

/**
 * Starts a local lakehouse: the Kinesis API on 127.0.0.1 (port 4567 unless `port` says, 0 for a free one), a reader
 * per shard and Firehose's delivery to Parquet under `dataDir` (`.lakehouse`), with the console if asked. Resolves
 * once the stream takes records. Options are checked first: a mistake is one line naming the option.
 */
export async function startLakehouse(options: LakehouseOptions & InternalOptions = {}): Promise<LocalLakehouse> {
  const { consoleAssetsDir, log, onConsoleError, kind, deliveredRetentionSeconds, ...publicOptions } = options;
  const [{ resolveOptions }, { Lakehouse }] = await Promise.all([import('./options'), import('./lakehouse')]);
  const resolved = {
    ...resolveOptions(publicOptions),
    ...(consoleAssetsDir ? { consoleAssetsDir } : {}),
    ...(log ? { log } : {}),
    ...(kind ? { kind } : {}),
    ...(deliveredRetentionSeconds === undefined ? {} : { deliveredRetentionSeconds }),
  };
  const lake = await Lakehouse.start(resolved);
  try {
    const consoleServer = await startConsoleOf(lake, resolved).catch((error: unknown) => {
      if (!onConsoleError) throw error;
      onConsoleError(error);
      return undefined;
    });
    // DuckDB loads now, in the background, so that the first delivery doesn't wait for it.
    lake.warmUp();
    return handleOf(lake, consoleServer);
  } catch (error) {
    await lake.abort();
    throw error;
  }
}
