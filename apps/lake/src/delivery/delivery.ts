import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  checkPrefixes,
  createConverter,
  errorObjectBody,
  evaluatePrefix,
  intervalDueAt,
  objectName,
  RecordBuffer,
  LOCAL_DELIVERY_STREAM_VERSION,
  type BufferingLimits,
  type CellValue,
  type CompiledPrefix,
  type Conversion,
  type ConversionErrorCode,
  type DataCatalogTable,
  type FailedRecord,
  type FlushReason,
} from '@lakehouse/firehose';
import type { DeliveredObject, DeliveryReport, PipelineSettings } from '@lakehouse/pipeline';
import type { ParquetColumn } from '@lakehouse/schema';
import type { StreamRecord } from '../kinesis/shard-reader';
import type { CheckpointStore, ShardPositions } from '../storage/checkpoints';
import { fsyncPath, renameDurably, writeFileSynced } from '../storage/durable';
import type { ParquetWriter } from './parquet-writer';

/** Why a buffer was delivered: Firehose's two hints, or the lakehouse draining before it stops. */
export type DeliveryReason = FlushReason | 'drain';

export interface DeliveredEvent {
  object: DeliveredObject;
  reason: DeliveryReason;
}

export interface DeliveryOptions {
  settings: PipelineSettings;
  /** The bucket's folder: object keys are paths under it. */
  bucketDir: string;
  /** Where objects are written before they are renamed into the bucket (same file system, outside the bucket). */
  tmpDir: string;
  limits: BufferingLimits;
  columns: readonly ParquetColumn[];
  /** The Glue table error records name. */
  table: DataCatalogTable;
  checkpoints: CheckpointStore;
  writer: () => Promise<ParquetWriter>;
  onDelivered?: (event: DeliveredEvent) => void;
  /** The first delivery failure (disk full, …): nothing after it is delivered, and positions stay where they were. */
  onFailure?: (error: unknown) => void;
  now?: () => number;
}

type Buffered =
  | { shardId: string; sequenceNumber: string; arrivalMillis: number; ok: true; row: CellValue[] }
  | { shardId: string; sequenceNumber: string; arrivalMillis: number; ok: false; data: Uint8Array; errorCode: ConversionErrorCode; errorMessage: string };

interface PlannedObject {
  key: string;
  tmp: string;
  kind: DeliveredObject['kind'];
  records: number;
  bytes: number;
}

/** Key-value metadata of each data object: which stream records it holds, for audits. */
export const BATCH_METADATA_KEY = 'lakehouse.batch';

/** How many deliveries may be queued behind the one being written before readers wait. */
const MAX_QUEUED_DELIVERIES = 2;

/** Test hook: the lakehouse kills itself at this point of a delivery, to prove a crash there loses and repeats nothing. */
function crashPoint(name: string): void {
  if (process.env['LAKEHOUSE_CRASH_AT'] === name) process.kill(process.pid, 'SIGKILL');
}

/**
 * Firehose's delivery, locally: one buffer for the delivery stream; records are converted with the OpenX rules as
 * they come in; when the size or interval hint is reached the buffer becomes one Parquet object under the data
 * prefix and, if any record failed conversion, one error object under the error prefix. Each object is written to
 * a temporary file, fsynced, and renamed into the bucket; only then are the shards' positions saved.
 */
export class Delivery {
  private readonly buffer: RecordBuffer<Buffered>;
  private readonly convert: (data: Uint8Array) => Conversion;
  private readonly dataPrefix: CompiledPrefix;
  private readonly errorPrefix: CompiledPrefix;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: unknown;
  private readonly delivered: DeliveredObject[] = [];
  private recordsDelivered = 0;
  private recordsFailed = 0;

  constructor(private readonly options: DeliveryOptions) {
    const { settings, limits, columns } = options;
    const prefixes = checkPrefixes(settings.firehosePrefix, settings.errorOutputPrefix);
    if (!prefixes.errorOutputPrefix) throw new Error('the settings have no error output prefix');
    this.dataPrefix = prefixes.prefix;
    this.errorPrefix = prefixes.errorOutputPrefix;
    this.buffer = new RecordBuffer(limits);
    this.convert = createConverter(columns);
    this.now = options.now ?? Date.now;
  }

  /** Buffers a page of records from one shard, delivering whenever a hint is reached; waits when deliveries queue up. */
  async add(records: readonly StreamRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (const record of records) {
      const conversion = this.convert(record.data);
      const { shardId, sequenceNumber, arrivalMillis } = record;
      const item: Buffered = conversion.ok
        ? { shardId, sequenceNumber, arrivalMillis, ok: true, row: conversion.row }
        : { shardId, sequenceNumber, arrivalMillis, ok: false, data: record.data, errorCode: conversion.errorCode, errorMessage: conversion.errorMessage };
      // The size hint is checked on every record (the one reaching it closes the buffer); the interval once a page
      // is in, since a page's records arrive together (with a zero interval a page is one object, not thousands).
      if (this.buffer.add(item, record.data.byteLength, this.now()) === 'size') this.enqueue('size');
    }
    if (this.buffer.due(this.now()) === 'interval') this.enqueue('interval');
    this.scheduleInterval();
    if (this.queued > MAX_QUEUED_DELIVERIES) await this.idle();
  }

  /** Delivers what is buffered now (if anything); resolves when it is durable. */
  flush(reason: DeliveryReason): Promise<void> {
    this.enqueue(reason);
    return this.idle();
  }

  /** Takes the buffer and queues its delivery behind the ones already queued (deliveries are serial, in order). */
  private enqueue(reason: DeliveryReason): void {
    this.clearTimer();
    const { items } = this.buffer.take();
    if (items.length > 0) {
      this.queued++;
      this.chain = this.chain
        .then(() => (this.failure ? undefined : this.deliver(items, reason)))
        .catch((error: unknown) => {
          if (this.failure) return;
          this.failure = error;
          this.options.onFailure?.(error);
        })
        .finally(() => {
          this.queued--;
        });
    }
  }

  /** Resolves when every delivery started so far is durable; rejects with the first delivery failure. */
  async idle(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  report(paths: { bucketDir: string; catalogFile: string }): DeliveryReport {
    return { ...paths, recordsDelivered: this.recordsDelivered, recordsFailed: this.recordsFailed, objects: [...this.delivered] };
  }

  close(): void {
    this.clearTimer();
  }

  private scheduleInterval(): void {
    const dueAt = intervalDueAt(this.buffer.state, this.options.limits);
    if (dueAt === undefined || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const reason = this.buffer.due(this.now());
      if (reason) this.enqueue(reason);
      else this.scheduleInterval();
    }, Math.max(0, dueAt - this.now()));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async deliver(items: Buffered[], reason: DeliveryReason): Promise<void> {
    const { settings, tmpDir, bucketDir, checkpoints } = this.options;
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
    const planned: PlannedObject[] = [];

    const errorKey = failed.length > 0 ? this.key(this.errorPrefix, failed, undefined) : undefined;
    if (good.length > 0) {
      const key = this.key(this.dataPrefix, good, settings.fileExtension);
      const tmp = join(tmpDir, `${randomUUID()}${settings.fileExtension}`);
      const metadata = { [BATCH_METADATA_KEY]: JSON.stringify({ shards: ranges, dataRecords: good.length, errorRecords: failed.length, errorObject: errorKey ?? null }) };
      const writer = await this.options.writer();
      const bytes = await writer.write(
        good.map((g) => g.row),
        tmp,
        metadata,
      );
      await fsyncPath(tmp);
      planned.push({ key, tmp, kind: 'data', records: good.length, bytes });
    }
    if (errorKey) {
      const tmp = join(tmpDir, randomUUID());
      const records: FailedRecord[] = failed.map((f) => ({ data: f.data, arrivalMillis: f.arrivalMillis, sequenceNumber: f.sequenceNumber, errorCode: f.errorCode, errorMessage: f.errorMessage }));
      const body = errorObjectBody(records, this.options.table, this.now());
      await writeFileSynced(tmp, body);
      planned.push({ key: errorKey, tmp, kind: 'error', records: failed.length, bytes: Buffer.byteLength(body) });
    }

    await checkpoints.prepare({ keys: planned.map((p) => p.key), positions });
    crashPoint('after-prepare');
    for (const [i, object] of planned.entries()) {
      await renameDurably(object.tmp, join(bucketDir, object.key));
      if (i === 0 && planned.length > 1) crashPoint('between-renames');
    }
    crashPoint('after-rename');
    await checkpoints.commit(positions);

    this.recordsDelivered += good.length;
    this.recordsFailed += failed.length;
    for (const { key, kind, records, bytes } of planned) {
      const object: DeliveredObject = { key, path: join(bucketDir, key), records, bytes, kind };
      this.delivered.push(object);
      this.options.onDelivered?.({ object, reason });
    }
  }

  /** The object's key: its prefix and name both take the oldest record's approximate arrival time. */
  private key(prefix: CompiledPrefix, records: readonly Buffered[], extension: string | undefined): string {
    let arrivalMillis = Number.POSITIVE_INFINITY;
    for (const r of records) arrivalMillis = Math.min(arrivalMillis, r.arrivalMillis);
    const evaluated = evaluatePrefix(prefix, { arrivalMillis, errorOutputType: 'format-conversion-failed' });
    const name = objectName({
      deliveryStreamName: this.options.settings.deliveryStreamName,
      version: LOCAL_DELIVERY_STREAM_VERSION,
      arrivalMillis,
      uuid: randomUUID(),
      ...(extension ? { extension } : {}),
    });
    return `${evaluated}${name}`;
  }
}
