export { compileTimestampPattern, formatTimestamp, TimestampPatternError } from './timestamp-pattern';
export {
  compilePrefix,
  checkPrefixes,
  evaluatePrefix,
  randomString,
  PrefixError,
  ERROR_OUTPUT_TYPES,
  DEFAULT_TIME_PATTERN,
  RANDOM_STRING_LENGTH,
  MAX_EVALUATED_PREFIX_LENGTH,
} from './prefix';
export type { CompiledPrefix, PrefixContext, ErrorOutputType } from './prefix';
export { objectName, parseObjectName, OBJECT_NAME_TIME_PATTERN, LOCAL_DELIVERY_STREAM_VERSION } from './object-name';
export type { ObjectNameParts } from './object-name';
export { bufferingLimits, flushReason, intervalDueAt, RecordBuffer } from './buffering';
export type { BufferingLimits, BufferState, FlushReason } from './buffering';
export { createConverter, topLevelLiteral, CONVERSION_ERROR_CODES, EPOCH_MILLIS_FLOOR } from './openx';
export type { CellValue, Conversion, ConversionErrorCode, ConverterOptions } from './openx';
export { conversionErrorRecord, errorObjectBody, parseErrorObjectBody } from './error-record';
export type { ConversionErrorRecord, DataCatalogTable, FailedRecord } from './error-record';
