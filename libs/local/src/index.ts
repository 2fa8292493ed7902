/**
 * @lakehouse/local: the local lakehouse as a library. `lakehouse up|console|query`, the producer's embedded lake,
 * the console's browser tests and your own test suites all start it through here:
 *
 *   await using lake = await startLakehouse({ dataDir, port: 0 });
 *   // send to lake.endpoint (lake.env for another process), then:
 *   await lake.flush();
 *   const { rows } = await lake.query('SELECT count(*) AS n FROM events');
 *
 * Importing it is cheap: kinesalite, DuckDB, the SQL parser and the console load when a lake starts or queries.
 */
import type { QueryEngine, QueryEngineOptions, RowSink, StreamedQuery } from './query/engine';
import type { ConsoleServer } from './console/server';
import type { StartConsoleOptions } from './console/start-console';

export { startLakehouse } from './start';
export type { InternalOptions, LocalLakehouse, QueryRow, RowsResult } from './start';
export type { LakehouseOptions } from './options';
export { LAKEHOUSE_DEFAULTS, LOCAL_DEFAULTS, QUERY_LIMITS } from './defaults';
export type { LakehouseInfo } from './lakehouse';
export type { PipelineMetrics } from './metrics';
export { DEFAULT_LAKEHOUSE_DIR, dataDirOf, localBucketName, localLayout } from './layout';
export type { LocalLayout } from './layout';
export { findRunningLake, readRunningLake } from './running-lake';
export type { RunningLake } from './running-lake';
export { NODE_FLAGS } from './node-flags';
export { BATCH_METADATA_KEY } from './delivery/stage';
export type { CommitStep } from './delivery/commit';
export type { DeliveredEvent, DeliveryReason } from './delivery/delivery';
export { DIALECTS } from './query/dialects';
// Light: the limits, and what applies them to an engine (the engine itself loads with openQueryEngine).
export { governed, streamText, timeoutError, textSink } from './query/governance';
export type { QueryLimits, TextFormat } from './query/governance';
export type { Dialect } from './query/dialects';
export type { QueryEngine, QueryEngineOptions, RowSink, StreamedQuery, ConsoleServer, StartConsoleOptions };
export type { DeliveredObject, DeliveryReport } from './embedded/protocol';
export { failedAs } from './embedded/protocol';
// The embedded lake of a send, in this process; light to import (its engine loads once its stream is ready).
export { startEmbeddedLake } from './embedded/lake';
export type { EmbeddedLake, EmbeddedLakeOptions } from './embedded/lake';

/** The query engine over a lake folder (what `lakehouse query` runs): Athena's SQL on DuckDB, read-only and sandboxed. */
export async function openQueryEngine(dataDir: string, catalogFile: string, options?: QueryEngineOptions): Promise<QueryEngine> {
  return (await import('./query/engine')).QueryEngine.open(dataDir, catalogFile, options);
}

/** Loads the SQL parser now (it takes a few hundred milliseconds), so that the first query that needs it doesn't wait. */
export async function loadTranslator(): Promise<void> {
  await (await import('./query/translator')).loadTranslator();
}

/** The console over a lake folder as it is, with no lake running (`lakehouse console`). */
export async function startConsole(options: StartConsoleOptions): Promise<ConsoleServer> {
  return (await import('./console/start-console')).startConsole(options);
}
