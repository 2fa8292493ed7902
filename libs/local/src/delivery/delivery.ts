import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  checkPrefixes,
  createConverter,
  hasKplMagic,
  intervalDueAt,
  loadDeaggregator,
  RecordBuffer,
  type BufferingLimits,
  type BufferState,
  type Conversion,
  type DataCatalogTable,
  type Deaggregator,
  type FlushReason,
} from '@lakehouse/firehose';
import type { PipelineSettings } from '@lakehouse/pipeline';
import { systemClock, type Clock } from '@lakehouse/runtime';
import { type DeliveredObject, type DeliveryReport } from '../embedded/protocol';
import type { ParquetColumn } from '@lakehouse/schema';
import type { StreamRecord } from '../kinesis/shard-reader';
import type { CheckpointStore } from '../storage/checkpoints';
import { commitObjects, type CommitStep } from './commit';
import { stageObjects, type StagedObject } from './stage';
import type { ParquetWriter } from './parquet-writer';
import { planDelivery, type Buffered, type ObjectNaming } from './plan';

/** Why a buffer was delivered: Firehose's two hints, the lakehouse draining before it stops, or asked to (`flush()`). */
export type DeliveryReason = FlushReason | 'drain' | 'flush';

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
  /** Told at each step of a commit, which waits for it: the crash and Ctrl-C tests act there. */
  onCommitStep?: (step: CommitStep) => void | Promise<void>;
  /** Epoch milliseconds (arrival times are), and the waits of the interval hint. */
  clock?: Clock;
}

/** Wall-clock time: buffering compares it with Kinesis' arrival timestamps. */
const epochClock: Clock = { now: () => Date.now(), sleep: systemClock.sleep };

/** How many deliveries may be queued behind the one being written before readers wait. */
const MAX_QUEUED_DELIVERIES = 2;

/**
 * Firehose's delivery, locally: one buffer for the delivery stream; records are converted with the OpenX rules as
 * they come in; when the size or interval hint is reached the buffer is delivered: planned (which objects, which
 * positions), staged (written and fsynced under temporary names) and committed in two steps (see commitObjects).
 * Deliveries run one at a time, in order.
 */
export class Delivery {
  private readonly buffer: RecordBuffer<Buffered>;
  private readonly convert: (data: Uint8Array) => Conversion;
  /** Loaded with the first KPL aggregated record (its library costs start-up time). */
  private deaggregate: Deaggregator | undefined;
  private readonly naming: ObjectNaming;
  private readonly clock: Clock;
  private timer: AbortController | undefined;
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
    this.naming = {
      dataPrefix: prefixes.prefix,
      errorPrefix: prefixes.errorOutputPrefix,
      deliveryStreamName: settings.deliveryStreamName,
      fileExtension: settings.fileExtension,
      uuid: randomUUID,
    };
    this.buffer = new RecordBuffer(limits);
    this.convert = createConverter(columns);
    this.clock = options.clock ?? epochClock;
  }

  /** Buffers a page of records from one shard, delivering whenever a hint is reached; waits when deliveries queue up. */
  async add(records: readonly StreamRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.deaggregate && records.some((r) => hasKplMagic(r.data))) this.deaggregate = await loadDeaggregator();
    for (const record of records) {
      let reason: FlushReason | undefined;
      for (const [item, bytes] of this.itemsOf(record)) reason = this.buffer.add(item, bytes, this.clock.now());
      // The size hint is checked at each Kinesis record's end (the one reaching it closes the buffer), never between
      // the user records of an aggregate: they share one sequence number, so a delivery that took some of them and
      // saved that position would lose the others after a crash. The interval is checked once a page is in, since a
      // page's records arrive together (with a zero interval a page is one object, not thousands).
      if (reason === 'size') this.enqueue('size');
    }
    if (this.buffer.due(this.clock.now()) === 'interval') this.enqueue('interval');
    this.scheduleInterval();
    if (this.queued > MAX_QUEUED_DELIVERIES) await this.idle();
  }

  /**
   * A stream record as buffer items, with the bytes each counts for the size hint: itself, converted; or, for a KPL
   * aggregate, each of its user records converted on its own, as Firehose does; or a corrupt aggregate, whole, failed.
   */
  private itemsOf(record: StreamRecord): Array<[Buffered, number]> {
    const { shardId, sequenceNumber, arrivalMillis, data } = record;
    const deaggregation = this.deaggregate && hasKplMagic(data) ? this.deaggregate(data) : ({ kind: 'plain' } as const);
    if (deaggregation.kind === 'corrupt') {
      const { errorCode, errorMessage } = deaggregation;
      return [[{ shardId, sequenceNumber, arrivalMillis, ok: false, data, errorCode, errorMessage }, data.byteLength]];
    }
    const users = deaggregation.kind === 'plain' ? [{ data, subSequenceNumber: undefined }] : deaggregation.records;
    return users.map(({ data: userData, subSequenceNumber }): [Buffered, number] => {
      const conversion = this.convert(userData);
      const item: Buffered = conversion.ok
        ? { shardId, sequenceNumber, arrivalMillis, ok: true, row: conversion.row }
        : {
            shardId,
            sequenceNumber,
            arrivalMillis,
            ok: false,
            data: userData,
            errorCode: conversion.errorCode,
            errorMessage: conversion.errorMessage,
            ...(subSequenceNumber === undefined ? {} : { subSequenceNumber }),
          };
      return [item, userData.byteLength];
    });
  }

  /** Delivers what is buffered now (if anything); resolves when it is durable. */
  flush(reason: DeliveryReason): Promise<void> {
    this.enqueue(reason);
    return this.idle();
  }

  /** Resolves when every delivery started so far is durable; rejects with the first delivery failure. */
  async idle(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** The buffer now (for the live metrics), and the interval hint that bounds its wait. */
  bufferState(): BufferState & { intervalMillis: number } {
    return { ...this.buffer.state, intervalMillis: this.options.limits.intervalMillis };
  }

  report(paths: { bucketDir: string; catalogFile: string }): DeliveryReport {
    return { ...paths, recordsDelivered: this.recordsDelivered, recordsFailed: this.recordsFailed, objects: [...this.delivered] };
  }

  close(): void {
    this.clearTimer();
  }

  /** Takes the buffer and queues its delivery behind the ones already queued. */
  private enqueue(reason: DeliveryReason): void {
    this.clearTimer();
    const { items } = this.buffer.take();
    if (items.length === 0) return;
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

  /** Plan, stage, commit: the buffer becomes objects in the bucket and saved positions, or nothing at all. */
  private async deliver(items: Buffered[], reason: DeliveryReason): Promise<void> {
    const { settings, tmpDir, bucketDir, checkpoints, writer, table, onCommitStep } = this.options;
    const plan = planDelivery(items, this.naming);
    const staged = await stageObjects(plan, { tmpDir, fileExtension: settings.fileExtension, writer, table, now: this.clock.now() });
    await commitObjects(staged, plan, { checkpoints, bucketDir, ...(onCommitStep ? { onStep: onCommitStep } : {}) });
    this.count(staged, reason);
  }

  /** Counts what a delivery put in the bucket, and tells whoever listens, object by object. */
  private count(staged: readonly StagedObject[], reason: DeliveryReason): void {
    for (const { key, kind, records, bytes } of staged) {
      if (kind === 'data') this.recordsDelivered += records;
      else this.recordsFailed += records;
      const object: DeliveredObject = { key, path: join(this.options.bucketDir, key), records, bytes, kind };
      this.delivered.push(object);
      this.options.onDelivered?.({ object, reason });
    }
  }

  /** Wakes when the interval hint of the buffer's first record is due (once per buffer). */
  private scheduleInterval(): void {
    const dueAt = intervalDueAt(this.buffer.state, this.options.limits);
    if (dueAt === undefined || this.timer) return;
    const timer = new AbortController();
    this.timer = timer;
    void this.clock.sleep(Math.max(0, dueAt - this.clock.now()), timer.signal).then(() => {
      if (timer.signal.aborted) return;
      this.timer = undefined;
      const reason = this.buffer.due(this.clock.now());
      if (reason) this.enqueue(reason);
      else this.scheduleInterval();
    });
  }

  private clearTimer(): void {
    this.timer?.abort();
    this.timer = undefined;
  }
}
