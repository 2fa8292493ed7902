import type { ConversionErrorCode } from './openx';
import type { PartitioningErrorCode } from './partition-keys';
import { toBase64 } from './bytes';

/** The Glue table the conversion read its schema from, as error records name it. */
export interface DataCatalogTable {
  catalogId: string | null;
  databaseName: string;
  tableName: string;
  region: string | null;
  versionId: string;
  catalogArn: string | null;
}

/**
 * One record that failed format conversion, as Firehose writes it under the error output prefix
 * (`!{firehose:error-output-type}` = `format-conversion-failed`): one JSON document per line.
 */
export interface ConversionErrorRecord {
  attemptsMade: number;
  /** When the record arrived (epoch ms): its Kinesis approximate arrival time. */
  arrivalTimestamp: number;
  lastErrorCode: ConversionErrorCode;
  lastErrorMessage: string;
  attemptEndingTimestamp: number;
  /** The record's bytes exactly as they came, base64. */
  rawData: string;
  sequenceNumber: string;
  /** Set only for records de-aggregated from a KPL aggregate. */
  subSequenceNumber: number | null;
  dataCatalogTable: DataCatalogTable;
}

/**
 * One record that dynamic partitioning could not place (`partitioning-failed`, `activePartitionExceeded`): the
 * processing-failure shape (`errorCode`/`errorMessage`, as Lambda processing failures have), with the record's
 * raw bytes and its Kinesis position.
 */
export interface PartitioningErrorRecord {
  attemptsMade: number;
  arrivalTimestamp: number;
  errorCode: PartitioningErrorCode;
  errorMessage: string;
  attemptEndingTimestamp: number;
  rawData: string;
  sequenceNumber: string;
  subSequenceNumber: number | null;
}

export type ErrorRecord = ConversionErrorRecord | PartitioningErrorRecord;

export interface FailedRecord {
  data: Uint8Array;
  arrivalMillis: number;
  sequenceNumber: string;
  errorCode: ConversionErrorCode | PartitioningErrorCode;
  errorMessage: string;
  /** Its index in the KPL aggregate it came in, for a de-aggregated user record. */
  subSequenceNumber?: number;
}

const isPartitioningError = (code: FailedRecord['errorCode']): code is PartitioningErrorCode => code.startsWith('DynamicPartitioning.');

/** The error record of one failed record; conversion and partitioning are tried once per record: attemptsMade is 1. */
export function conversionErrorRecord(failed: FailedRecord, table: DataCatalogTable, attemptEndingMillis: number): ErrorRecord {
  const { errorCode } = failed;
  if (isPartitioningError(errorCode)) {
    return {
      attemptsMade: 1,
      arrivalTimestamp: failed.arrivalMillis,
      errorCode,
      errorMessage: failed.errorMessage,
      attemptEndingTimestamp: attemptEndingMillis,
      rawData: toBase64(failed.data),
      sequenceNumber: failed.sequenceNumber,
      subSequenceNumber: failed.subSequenceNumber ?? null,
    };
  }
  return {
    attemptsMade: 1,
    arrivalTimestamp: failed.arrivalMillis,
    lastErrorCode: errorCode,
    lastErrorMessage: failed.errorMessage,
    attemptEndingTimestamp: attemptEndingMillis,
    rawData: toBase64(failed.data),
    sequenceNumber: failed.sequenceNumber,
    subSequenceNumber: failed.subSequenceNumber ?? null,
    dataCatalogTable: table,
  };
}

/** The body of an error object: one JSON line per failed record. */
export function errorObjectBody(failed: readonly FailedRecord[], table: DataCatalogTable, attemptEndingMillis: number): string {
  let body = '';
  for (const record of failed) body += `${JSON.stringify(conversionErrorRecord(record, table, attemptEndingMillis))}\n`;
  return body;
}

/** Reads an error object's body back (for tests and tools): conversion failures unless the caller says. */
export function parseErrorObjectBody<T extends ErrorRecord = ConversionErrorRecord>(body: string): T[] {
  return body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
