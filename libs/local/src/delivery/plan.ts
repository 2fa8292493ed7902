import {
  evaluatePrefix,
  LOCAL_DELIVERY_STREAM_VERSION,
  objectName,
  type CellValue,
  type CompiledPrefix,
  type ConversionErrorCode,
  type FailedRecord,
} from '@lakehouse/firehose';
import type { ShardPositions } from '../storage/checkpoints';

/** A stream record in the buffer, converted (a Parquet row) or failed (the raw data and why). */
export type Buffered =
  | { shardId: string; sequenceNumber: string; arrivalMillis: number; ok: true; row: CellValue[] }
  | {
      shardId: string;
      sequenceNumber: string;
      arrivalMillis: number;
      ok: false;
      data: Uint8Array;
      errorCode: ConversionErrorCode;
      errorMessage: string;
      /** Its index in the KPL aggregate it came in (a de-aggregated user record). */
      subSequenceNumber?: number;
    };

/** What one delivery writes, decided before anything is written. */
export interface DeliveryPlan {
  /** Each shard's last sequence number in the buffer: the positions saved once the objects are in place. */
  positions: ShardPositions;
  /** Each shard's first and last sequence numbers, kept in the data object's metadata for audits. */
  ranges: Record<string, [string, string]>;
  data?: { key: string; rows: CellValue[][]; records: number };
  errors?: { key: string; records: FailedRecord[] };
}

/** How objects are named: the pipeline's prefixes and delivery stream, and where the uuid comes from. */
export interface ObjectNaming {
  dataPrefix: CompiledPrefix;
  errorPrefix: CompiledPrefix;
  deliveryStreamName: string;
  fileExtension: string;
  uuid: () => string;
}

/** An object's key: its prefix and name both take the oldest record's approximate arrival time, as Firehose's do. */
function objectKey(prefix: CompiledPrefix, records: readonly Buffered[], naming: ObjectNaming, extension?: string): string {
  let arrivalMillis = Number.POSITIVE_INFINITY;
  for (const r of records) arrivalMillis = Math.min(arrivalMillis, r.arrivalMillis);
  const folder = evaluatePrefix(prefix, { arrivalMillis, errorOutputType: 'format-conversion-failed' });
  const name = objectName({
    deliveryStreamName: naming.deliveryStreamName,
    version: LOCAL_DELIVERY_STREAM_VERSION,
    arrivalMillis,
    uuid: naming.uuid(),
    ...(extension ? { extension } : {}),
  });
  return `${folder}${name}`;
}

/**
 * Plans the delivery of a buffer, as Firehose does: converted records become one Parquet object under the data
 * prefix, records that failed conversion one error object under the error prefix; no I/O.
 */
export function planDelivery(items: readonly Buffered[], naming: ObjectNaming): DeliveryPlan {
  const positions: ShardPositions = {};
  const ranges: Record<string, [string, string]> = {};
  for (const item of items) {
    positions[item.shardId] = item.sequenceNumber;
    const range = ranges[item.shardId];
    if (range) range[1] = item.sequenceNumber;
    else ranges[item.shardId] = [item.sequenceNumber, item.sequenceNumber];
  }
  const good = items.filter((i): i is Extract<Buffered, { ok: true }> => i.ok);
  const failed = items.filter((i): i is Extract<Buffered, { ok: false }> => !i.ok);
  const plan: DeliveryPlan = { positions, ranges };
  if (good.length > 0)
    plan.data = { key: objectKey(naming.dataPrefix, good, naming, naming.fileExtension), rows: good.map((g) => g.row), records: good.length };
  if (failed.length > 0) {
    const records = failed.map(({ data, arrivalMillis, sequenceNumber, errorCode, errorMessage, subSequenceNumber }) => ({
      data,
      arrivalMillis,
      sequenceNumber,
      errorCode,
      errorMessage,
      ...(subSequenceNumber === undefined ? {} : { subSequenceNumber }),
    }));
    plan.errors = { key: objectKey(naming.errorPrefix, failed, naming), records };
  }
  return plan;
}
