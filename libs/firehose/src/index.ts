export { checkPrefixes, evaluatePrefix } from './prefix';
export type { CompiledPrefix } from './prefix';
export { objectName, LOCAL_DELIVERY_STREAM_VERSION } from './object-name';
export { bufferingLimits, intervalDueAt, RecordBuffer } from './buffering';
export type { BufferingLimits, BufferState, FlushReason } from './buffering';
export { createConverter, CONVERSION_ERROR_CODES } from './openx';
export type { CellValue, Conversion, ConversionErrorCode } from './openx';
export { errorObjectBody, parseErrorObjectBody } from './error-record';
export type { ConversionErrorRecord, DataCatalogTable, FailedRecord } from './error-record';
