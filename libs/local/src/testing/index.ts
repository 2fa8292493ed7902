/** Fixtures for tests of the local lake, here and in the apps: records, a filled lake folder, the Athena corpus. */
export { encode, eventRecords, putAll, wideEventRecords } from './records';
export { childProcesses } from './processes';
export { buildLake } from './lake';
export { CORPUS, corpusRecords } from './athena-corpus';
export type { CorpusContext, Row } from './athena-corpus';
export { registerTable } from '../catalog';
