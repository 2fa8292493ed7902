import { describe, expect, it } from 'vitest';
import { conversionErrorRecord, errorObjectBody, parseErrorObjectBody, type DataCatalogTable } from './error-record';
import { CONVERSION_ERROR_CODES } from './openx';

const table: DataCatalogTable = {
  catalogId: null,
  databaseName: 'lakehouse_dev',
  tableName: 'events',
  region: 'us-east-1',
  versionId: 'LATEST',
  catalogArn: null,
};
const failed = {
  data: new Uint8Array([0x6e, 0x6f, 0x74, 0x20, 0x6a, 0x73, 0x6f, 0x6e, 0xff]),
  arrivalMillis: 1643815027618,
  sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
  errorCode: CONVERSION_ERROR_CODES.parseError,
  errorMessage: 'Encountered malformed JSON. Unexpected token',
};

describe('conversion error records', () => {
  it('have Firehose’s fields, in its order', () => {
    expect(Object.keys(conversionErrorRecord(failed, table, 1643815030000))).toEqual([
      'attemptsMade',
      'arrivalTimestamp',
      'lastErrorCode',
      'lastErrorMessage',
      'attemptEndingTimestamp',
      'rawData',
      'sequenceNumber',
      'subSequenceNumber',
      'dataCatalogTable',
    ]);
  });

  it('keep the record’s exact bytes in base64, even when they are not text', () => {
    const record = conversionErrorRecord(failed, table, 1643815030000);
    expect(record).toMatchObject({ attemptsMade: 1, arrivalTimestamp: 1643815027618, attemptEndingTimestamp: 1643815030000, subSequenceNumber: null });
    expect(new Uint8Array(Buffer.from(record.rawData, 'base64'))).toEqual(failed.data);
  });

  it('name a de-aggregated user record by its index in its KPL aggregate, and nothing else by one', () => {
    expect(conversionErrorRecord({ ...failed, subSequenceNumber: 3 }, table, 1).subSequenceNumber).toBe(3);
    expect(conversionErrorRecord({ ...failed, subSequenceNumber: 0 }, table, 1).subSequenceNumber).toBe(0);
    expect(conversionErrorRecord(failed, table, 1).subSequenceNumber).toBeNull();
  });

  it('are written one JSON document per line and read back', () => {
    const body = errorObjectBody([failed, { ...failed, sequenceNumber: '2' }], table, 5);
    expect(body.split('\n')).toHaveLength(3);
    expect(body.endsWith('\n')).toBe(true);
    const records = parseErrorObjectBody(body);
    expect(records.map((r) => r.sequenceNumber)).toEqual([failed.sequenceNumber, '2']);
    expect(records[0]?.dataCatalogTable).toEqual(table);
  });
});
