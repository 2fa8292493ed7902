import { join } from 'node:path';
import type { ConsoleInfo } from '@lakehouse/console-api';
import { namedQueries, type PipelineSettings } from '@lakehouse/pipeline';
import { type LocalLayout } from '../layout';
import { displayPath, repositoryRoot } from '@lakehouse/runtime';
import { readCatalog } from '../catalog';
import { HISTORY_SECONDS } from '../metrics';
import { BucketBrowser } from './bucket';
import type { LiveLake } from './events';
import { ConsoleServer } from './server';
import { QUERY_LIMITS } from '../query/governance';
import { QueryProcesses, type QueryProcessLimits } from '../query/query-processes';

/** The console app's build, served from memory. */
export const CONSOLE_ASSETS_DIR = join(repositoryRoot() ?? process.cwd(), 'apps', 'console', 'dist');

export interface StartConsoleOptions {
  settings: PipelineSettings;
  layout: LocalLayout;
  port: number;
  /** A running lake: its Kinesis endpoint and live metrics. Without it the console reads the folder as it is. */
  live?: Omit<LiveLake, 'catalogTables'> & { endpoint: string };
  assetsDir?: string;
  /** Where an error no one classified is told (the page gets one line): the message, with its stack if verbose. */
  log?: { say: (line: string) => void; verbose: boolean };
  /** Each query's time and memory, and how many run at once (`QUERY_LIMITS` for what is left out). */
  queryLimits?: Partial<QueryProcessLimits>;
}

/** The console's query limits: the defaults, with what was given. */
export function consoleQueryLimits(given: Partial<QueryProcessLimits> = {}): QueryProcessLimits {
  return {
    timeoutSeconds: given.timeoutSeconds ?? QUERY_LIMITS.timeoutSeconds,
    memoryMiB: given.memoryMiB ?? QUERY_LIMITS.memoryMiB,
    concurrency: given.concurrency ?? QUERY_LIMITS.consoleConcurrency,
  };
}

/** The error output prefix up to its first expression: every error object's key starts with it (`errors/`). */
const staticPart = (prefix: string) => prefix.split(/[!$]\{/)[0] ?? '';

export async function startConsole(options: StartConsoleOptions): Promise<ConsoleServer> {
  const { settings, layout, live } = options;
  const info: ConsoleInfo = {
    mode: live ? 'up' : 'folder',
    environment: settings.environment,
    streamName: settings.streamName,
    deliveryStreamName: settings.deliveryStreamName,
    bucket: layout.bucket,
    database: settings.databaseName,
    table: settings.tableName,
    dataDir: displayPath(layout.dir),
    errorPrefix: settings.errorPrefix,
    partitioning: settings.partitioning,
    ...(live ? { kinesisEndpoint: live.endpoint } : {}),
    historySeconds: HISTORY_SECONDS,
  };
  const catalog = await readCatalog(layout.catalogFile);
  const catalogTables = Object.values(catalog?.databases ?? {}).reduce((n, { tables }) => n + Object.keys(tables).length, 0);
  return ConsoleServer.start({
    port: options.port,
    assetsDir: options.assetsDir ?? CONSOLE_ASSETS_DIR,
    source: {
      info,
      settings,
      layout,
      bucket: new BucketBrowser(layout.bucket, layout.bucketDir, staticPart(settings.errorOutputPrefix)),
      namedQueries: namedQueries(settings.databaseName, settings.tableName),
      queries: new QueryProcesses(consoleQueryLimits(options.queryLimits)),
    },
    ...(live ? { live: { metrics: live.metrics, bufferState: live.bufferState, catalogTables } } : {}),
    onUnexpected: (error) => {
      const { say, verbose } = options.log ?? { say: () => undefined, verbose: false };
      say(`console: ${verbose ? ((error as Error).stack ?? String(error)) : (error as Error).message}`);
    },
  });
}
