import {
  evaluatePrefix,
  LOCAL_DELIVERY_STREAM_VERSION,
  objectName,
  type CellValue,
  type CompiledPrefix,
  type ConversionErrorCode,
  type ErrorOutputType,
  type FailedRecord,
  type PartitionKeys,
  type PartitioningErrorCode,
} from '@lakehouse/firehose';
import type { ShardPositions } from '../storage/checkpoints';
import { comparePositions, positionOf, type PartitionPositions } from './progress';

interface Position {
  shardId: string;
  sequenceNumber: string;
  arrivalMillis: number;
  /** Its index in the KPL aggregate it came in (a de-aggregated user record). */
  subSequenceNumber?: number;
  /** Dynamic partitioning: the record's partition (its key values), or the error output it went to. */
  partition?: string;
}

/** A stream record in the buffer, converted (a Parquet row) or failed (the raw data and why). */
export type Buffered =
  | (Position & { ok: true; row: CellValue[] })
  | (Position & {
      ok: false;
      data: Uint8Array;
      errorCode: ConversionErrorCode | PartitioningErrorCode;
      errorMessage: string;
      errorOutputType: ErrorOutputType;
    });

/** What one delivery writes, decided before anything is written. */
export interface DeliveryPlan {
  /** The shard positions saved once the objects are in place (records up to them are all delivered). */
  positions: ShardPositions;
  /** Dynamic partitioning: each partition's last position in this delivery, per shard. */
  partitions?: PartitionPositions;
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
function objectKey(
  prefix: CompiledPrefix,
  records: readonly Buffered[],
  naming: ObjectNaming,
  context: { extension?: string; errorOutputType?: ErrorOutputType; partitionKeys?: PartitionKeys },
): string {
  const { extension, errorOutputType, partitionKeys } = context;
  let arrivalMillis = Number.POSITIVE_INFINITY;
  for (const r of records) arrivalMillis = Math.min(arrivalMillis, r.arrivalMillis);
  const folder = evaluatePrefix(prefix, { arrivalMillis, ...(errorOutputType ? { errorOutputType } : {}), ...(partitionKeys ? { partitionKeys } : {}) });
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
 * prefix (with dynamic partitioning, the buffer's partition keys fill it), records that failed one error object
 * under the error prefix; no I/O. `positions` are the shard positions saved with it (see ReadProgress).
 */
export function planDelivery(
  items: readonly Buffered[],
  naming: ObjectNaming,
  target: { positions: ShardPositions; partitionKeys?: PartitionKeys },
): DeliveryPlan {
  const { positions, partitionKeys } = target;
  const ranges: Record<string, [string, string]> = {};
  const partitions: PartitionPositions = {};
  for (const item of items) {
    const range = ranges[item.shardId];
    if (range) range[1] = item.sequenceNumber;
    else ranges[item.shardId] = [item.sequenceNumber, item.sequenceNumber];
    if (item.partition !== undefined) {
      const shards = (partitions[item.partition] ??= {});
      const position = positionOf(item.sequenceNumber, item.subSequenceNumber);
      const current = shards[item.shardId];
      if (current === undefined || comparePositions(position, current) > 0) shards[item.shardId] = position;
    }
  }
  const good = items.filter((i): i is Extract<Buffered, { ok: true }> => i.ok);
  const failed = items.filter((i): i is Extract<Buffered, { ok: false }> => !i.ok);
  const plan: DeliveryPlan = { positions, ranges, ...(Object.keys(partitions).length > 0 ? { partitions } : {}) };
  if (good.length > 0) {
    const key = objectKey(naming.dataPrefix, good, naming, { extension: naming.fileExtension, ...(partitionKeys ? { partitionKeys } : {}) });
    plan.data = { key, rows: good.map((g) => g.row), records: good.length };
  }
  if (failed.length > 0) {
    const records = failed.map(({ data, arrivalMillis, sequenceNumber, errorCode, errorMessage, subSequenceNumber }) => ({
      data,
      arrivalMillis,
      sequenceNumber,
      errorCode,
      errorMessage,
      ...(subSequenceNumber === undefined ? {} : { subSequenceNumber }),
    }));
    // One buffer's failures share one error output type: conversion failures in a partition's buffer, or the
    // buffer of partitioning failures, or the one of records past the active-partition limit.
    const errorOutputType = failed[0]?.errorOutputType ?? 'format-conversion-failed';
    plan.errors = { key: objectKey(naming.errorPrefix, failed, naming, { errorOutputType }), records };
  }
  return plan;
}
