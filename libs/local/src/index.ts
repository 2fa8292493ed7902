// The local lakehouse as a library. `lakehouse up|console|query`, the producer's embedded lake and the tests all
// start it through here.
export { Lakehouse } from './lakehouse';
export type { LakehouseInfo, LakehouseOptions } from './lakehouse';
export { LOCAL_DEFAULTS } from './defaults';
export { DEFAULT_LAKEHOUSE_DIR, dataDirOf, localBucketName, localLayout } from './layout';
export type { LocalLayout } from './layout';
export { registerTable, readCatalog } from './catalog';
export { findRunningLake, readRunningLake } from './running-lake';
export type { RunningLake } from './running-lake';
export { NODE_FLAGS } from './node-flags';
export { BATCH_METADATA_KEY } from './delivery/commit';
export type { CommitStep } from './delivery/commit';
export type { DeliveredEvent } from './delivery/delivery';
export { LocalLake, DIALECTS } from './query/local-lake';
export type { Dialect, LocalLakeOptions } from './query/local-lake';
export { loadTranslator } from './query/translator';
export { startConsole } from './console/start-console';
export type { ConsoleServer } from './console/server';
export { EMBEDDED_FLAG, embeddedLakeArgs, isEmbeddedLakeMessage } from './embedded/protocol';
export type { DeliveredObject, DeliveryReport, EmbeddedLakeCommand, EmbeddedLakeMessage } from './embedded/protocol';
export { runEmbedded, tellParent } from './embedded/child';
export { startEmbeddedLake } from './embedded/parent';
export type { EmbeddedLake, EmbeddedLakeOptions } from './embedded/parent';
