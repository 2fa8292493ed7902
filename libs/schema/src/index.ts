export { eventRecordSchema, EVENT_STATUSES, PHONE_MIN, PHONE_MAX } from './event-record';
export type { EventRecord, RecordSchema } from './event-record';
export { fieldsOf } from './fields';
export type { ColumnKind } from './fields';
export { COLUMN_TYPES, glueColumns, parquetColumns, jsonSerDeColumns } from './columns';
export type { GlueColumn, ParquetColumn } from './columns';
export { validate, formatProblems } from './validate';
export type { Validation } from './validate';
