import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  checkPrefixes,
  createConverter,
  DEFAULT_ACTIVE_PARTITION_LIMIT,
  hasKplMagic,
  intervalDueAt,
  loadDeaggregator,
  PARTITIONING_ERROR_CODES,
  partitionId,
  partitionKeysOf,
  RecordBuffer,
  type BufferingLimits,
  type BufferState,
  type Conversion,
  type ConversionErrorCode,
  type DataCatalogTable,
  type Deaggregator,
  type FlushReason,
  type Jq,
  type JqOutcome,
  type PartitionKeys,
} from '@lakehouse/firehose';
import { partitionKeyQuery, type PipelineSettings } from '@lakehouse/pipeline';
import { systemClock, type Clock } from '@lakehouse/runtime';
import { type DeliveredObject, type DeliveryReport } from '../embedded/protocol';
import type { ParquetColumn } from '@lakehouse/schema';
import type { StreamRecord } from '../kinesis/shard-reader';
import type { CheckpointStore } from '../storage/checkpoints';
import { commitObjects, type CommitStep } from './commit';
import { stageObjects, type StagedObject } from './stage';
import type { ParquetWriter } from './parquet-writer';
import { startJq } from './jq-process';
import { planDelivery, type Buffered, type ObjectNaming } from './plan';
import { comparePositions, positionOf, ReadProgress, type PartitionPositions } from './progress';

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
  /** Dynamic partitioning (event-time): the MetadataExtraction query; the pipeline's partitionKeyQuery() by default. */
  partitionKeyQuery?: string;
  /** Firehose's active-partition limit (500); lower it to see what happens past it without 500 partitions. */
  activePartitionLimit?: number;
  /** Told of each jq call's duration (ms), for the JQProcessing.Duration metric. */
  onJq?: (durationMillis: number) => void;
}

/** The buffers of failed records under dynamic partitioning (not partitions: they don't count toward the limit). */
const PARTITIONING_FAILED = '!partitioning-failed';
const PARTITION_EXCEEDED = '!activePartitionExceeded';

/** A buffer: one per active partition with dynamic partitioning (and its keys), else the delivery stream's one. */
interface PartitionBuffer {
  buffer: RecordBuffer<Buffered>;
  keys?: PartitionKeys;
  /** Deliveries taken from it and not yet committed: the partition stays active until they are (as on AWS). */
  inFlight: number;
}

/** One user record of a stream record (or a whole record), before it is placed. */
interface Unit {
  record: StreamRecord;
  data: Uint8Array;
  subSequenceNumber?: number;
  /** A record with the KPL magic that is not a valid aggregate. */
  corrupt?: { errorCode: ConversionErrorCode; errorMessage: string };
}

/** Wall-clock time: buffering compares it with Kinesis' arrival timestamps. */
const epochClock: Clock = { now: () => Date.now(), sleep: systemClock.sleep };

/** How many pages may wait for jq (event-time partitioning) before readers wait. */
const MAX_PAGES_IN_FLIGHT = 4;

/** How many deliveries may be queued behind the one being written before readers wait. */
const MAX_QUEUED_DELIVERIES = 2;

/**
 * Firehose's delivery, locally: one buffer for the delivery stream; records are converted with the OpenX rules as
 * they come in; when the size or interval hint is reached the buffer is delivered: planned (which objects, which
 * positions), staged (written and fsynced under temporary names) and committed in two steps (see commitObjects).
 * Deliveries run one at a time, in order.
 */
export class Delivery {
  private readonly buffers = new Map<string, PartitionBuffer>();
  private readonly progress = new ReadProgress();
  /** Dynamic partitioning: the query, the keys the prefix names, the limit; undefined for arrival partitioning. */
  private readonly dynamic: { query: string; keyNames: readonly string[]; limit: number } | undefined;
  /** jq, started with the delivery (its process and the query's compile check, ~100 ms, off the first page's path). */
  private readonly jq: Promise<Jq> | undefined;
  /** Partitions' positions delivered before a restart, after the shard positions: those records are skipped. */
  private readonly delivered0: PartitionPositions;
  /** Partitions whose records are in the current buffer of records past the limit (see route()). */
  private exceededKeys = new Set<string>();
  private activePartitions = 0;
  private readonly partitionStats = { exceededRecords: 0, jqMillis: 0, jqRecords: 0, peakActive: 0 };
  private readonly convert: (data: Uint8Array) => Conversion;
  /** Loaded with the first KPL aggregated record (its library costs start-up time). */
  private deaggregate: Deaggregator | undefined;
  private readonly naming: ObjectNaming;
  private readonly clock: Clock;
  private timer: AbortController | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Pages waiting for their partition keys, placed one after another. */
  private placing: Promise<void> = Promise.resolve();
  private pagesInFlight = 0;
  /** Closed without draining (an abort): pages still waiting for jq are dropped, unread as far as positions go. */
  private closed = false;
  private queued = 0;
  private failure: unknown;
  private readonly delivered: DeliveredObject[] = [];
  private recordsDelivered = 0;
  private recordsFailed = 0;

  constructor(private readonly options: DeliveryOptions) {
    const { settings, columns } = options;
    const dynamicPartitioning = { enabled: settings.partitioning === 'event-time' };
    const prefixes = checkPrefixes(settings.firehosePrefix, settings.errorOutputPrefix, dynamicPartitioning);
    if (!prefixes.errorOutputPrefix) throw new Error('the settings have no error output prefix');
    this.dynamic = dynamicPartitioning.enabled
      ? {
          query: options.partitionKeyQuery ?? partitionKeyQuery(),
          keyNames: prefixes.prefix.partitionKeys,
          limit: options.activePartitionLimit ?? DEFAULT_ACTIVE_PARTITION_LIMIT,
        }
      : undefined;
    this.delivered0 = this.dynamic ? options.checkpoints.partitionPositions() : {};
    this.jq = this.dynamic && startJq(this.dynamic.query);
    this.jq?.catch(() => undefined); // told by the first page that needs it
    this.naming = {
      dataPrefix: prefixes.prefix,
      errorPrefix: prefixes.errorOutputPrefix,
      deliveryStreamName: settings.deliveryStreamName,
      fileExtension: settings.fileExtension,
      uuid: randomUUID,
    };
    this.convert = createConverter(columns);
    this.clock = options.clock ?? epochClock;
  }

  /** Buffers a page of records from one shard, delivering whenever a hint is reached; waits when deliveries queue up. */
  async add(records: readonly StreamRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.deaggregate && records.some((r) => hasKplMagic(r.data))) this.deaggregate = await loadDeaggregator();
    const units = records.map((record) => this.unitsOf(record));
    if (!this.dynamic) {
      this.placePage(records, units, undefined);
    } else {
      // jq works on this page in its own process while earlier pages are placed and delivered, and the reader
      // fetches the next: pages are placed in the order they came, so positions stay in reading order.
      const outcomes = this.extractKeys(units.flat());
      outcomes.catch(() => undefined); // its failure is the placement's, below
      this.pagesInFlight++;
      const placed = this.placing
        .then(async () => {
          const keys = await outcomes;
          if (!this.failure && !this.closed) this.placePage(records, units, keys);
        })
        .catch((error: unknown) => this.fail(error))
        .finally(() => {
          this.pagesInFlight--;
        });
      this.placing = placed;
      if (this.pagesInFlight > MAX_PAGES_IN_FLIGHT) await placed;
    }
    if (this.queued > MAX_QUEUED_DELIVERIES) await this.idle();
  }

  /** Puts a page's units in their buffers, delivering whenever a hint is reached. */
  private placePage(records: readonly StreamRecord[], units: readonly Unit[][], outcomes: readonly JqOutcome[] | undefined): void {
    let next = 0;
    for (const [i, record] of records.entries()) {
      const touched = new Set<string>();
      let items = 0;
      // Each unit is placed before the next is looked at (a partition it opens counts for the next one). Nothing is
      // delivered before the record's end, so the progress learns the record's item count in time.
      for (const unit of units[i] ?? []) {
        const placed = this.place(unit, outcomes?.[next++]);
        if (!placed) continue;
        const [bufferId, item, bytes] = placed;
        this.bufferFor(bufferId, item).buffer.add(item, bytes, this.clock.now());
        touched.add(bufferId);
        items++;
      }
      // The shard position waits for every item of the record.
      this.progress.read(record.shardId, record.sequenceNumber, items);
      // The size hint is checked at each Kinesis record's end (the one reaching it closes the buffer), never between
      // the user records of an aggregate. The interval is checked once a page is in, since a page's records arrive
      // together (with a zero interval a page is one object, not thousands).
      for (const id of touched) if (this.buffers.get(id)?.buffer.due(Number.NEGATIVE_INFINITY) === 'size') this.enqueue(id, 'size');
    }
    const now = this.clock.now();
    for (const [id, { buffer }] of this.buffers) if (buffer.due(now) === 'interval') this.enqueue(id, 'interval');
    this.scheduleInterval();
  }

  /** The first failure stops the delivery: nothing after it is delivered, and positions stay where they were. */
  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    this.options.onFailure?.(error);
  }

  /** Runs the MetadataExtraction query over a page's records in one jq call (dynamic partitioning only). */
  private async extractKeys(units: readonly Unit[]): Promise<JqOutcome[] | undefined> {
    if (!this.dynamic || units.length === 0) return undefined;
    const jq = await this.jq;
    if (!jq) return undefined;
    const started = performance.now();
    const decoder = new TextDecoder();
    const outcomes = await jq.evaluate(
      this.dynamic.query,
      units.map((u) => decoder.decode(u.data)),
    );
    const elapsed = performance.now() - started;
    this.partitionStats.jqMillis += elapsed;
    this.options.onJq?.(elapsed);
    this.partitionStats.jqRecords += units.length;
    return outcomes;
  }

  /** A stream record as units: itself, or the user records of a KPL aggregate (de-aggregated first, as Firehose does). */
  private unitsOf(record: StreamRecord): Unit[] {
    const { data } = record;
    const deaggregation = this.deaggregate && hasKplMagic(data) ? this.deaggregate(data) : ({ kind: 'plain' } as const);
    if (deaggregation.kind === 'corrupt') return [{ record, data, corrupt: { errorCode: deaggregation.errorCode, errorMessage: deaggregation.errorMessage } }];
    if (deaggregation.kind === 'plain') return [{ record, data }];
    return deaggregation.records.map((u) => ({ record, data: u.data, subSequenceNumber: u.subSequenceNumber }));
  }

  /**
   * Where a unit goes: its buffer and its buffer item with the bytes it counts for the size hint; or nothing, when it
   * was delivered before a restart. With dynamic partitioning: the buffer of its partition; the partitioning-failed
   * buffer when the query gives it no keys; the activePartitionExceeded buffer when its partition is not active and
   * the limit is reached. While that buffer holds a partition's records, the partition stays out of it, so each
   * partition's records are delivered in reading order (what lets a restart skip exactly the delivered ones).
   */
  private place(unit: Unit, outcome: JqOutcome | undefined): [string, Buffered, number] | undefined {
    const { record, data, subSequenceNumber } = unit;
    const { shardId, sequenceNumber, arrivalMillis } = record;
    const base = { shardId, sequenceNumber, arrivalMillis, ...(subSequenceNumber === undefined ? {} : { subSequenceNumber }) };
    const bytes = data.byteLength;
    if (!this.dynamic || !outcome) return ['', this.converted(unit, base), bytes];
    const extraction = partitionKeysOf(outcome, this.dynamic.keyNames);
    const partition = extraction.ok ? partitionId(extraction.keys, this.dynamic.keyNames) : PARTITIONING_FAILED;
    const done = this.delivered0[partition]?.[shardId];
    if (done !== undefined && comparePositions(positionOf(sequenceNumber, subSequenceNumber), done) <= 0) return undefined;
    if (!extraction.ok) {
      const { errorCode, errorMessage } = extraction;
      return [PARTITIONING_FAILED, { ...base, partition, ok: false, data, errorCode, errorMessage, errorOutputType: 'partitioning-failed' }, bytes];
    }
    if (!this.isActive(partition) && (this.activePartitions >= this.dynamic.limit || this.exceededKeys.has(partition))) {
      this.exceededKeys.add(partition);
      this.partitionStats.exceededRecords++;
      const errorMessage = `The delivery stream has ${this.activePartitions} active partitions, its limit; this record's partition would be one more.`;
      return [
        PARTITION_EXCEEDED,
        {
          ...base,
          partition,
          ok: false,
          data,
          errorCode: PARTITIONING_ERROR_CODES.activePartitionExceeded,
          errorMessage,
          errorOutputType: 'activePartitionExceeded',
        },
        bytes,
      ];
    }
    return [partition, { ...this.converted(unit, base), partition }, bytes];
  }

  /** The unit converted with the OpenX rules: a Parquet row, or a format-conversion failure with its raw bytes. */
  private converted(unit: Unit, base: Omit<Buffered, 'ok' | 'row' | 'data' | 'errorCode' | 'errorMessage' | 'errorOutputType'>): Buffered {
    if (unit.corrupt) return { ...base, ok: false, data: unit.data, ...unit.corrupt, errorOutputType: 'format-conversion-failed' };
    const conversion = this.convert(unit.data);
    return conversion.ok
      ? { ...base, ok: true, row: conversion.row }
      : {
          ...base,
          ok: false,
          data: unit.data,
          errorCode: conversion.errorCode,
          errorMessage: conversion.errorMessage,
          errorOutputType: 'format-conversion-failed',
        };
  }

  private isActive(id: string): boolean {
    const entry = this.buffers.get(id);
    return entry !== undefined && (entry.inFlight > 0 || entry.buffer.state.records > 0);
  }

  /** The buffer for an item; a data partition's buffer opening makes it active. */
  private bufferFor(id: string, item: Buffered): PartitionBuffer {
    let entry = this.buffers.get(id);
    if (!entry) {
      entry = { buffer: new RecordBuffer(this.options.limits), inFlight: 0 };
      this.buffers.set(id, entry);
    }
    if (this.dynamic && !id.startsWith('!') && !this.isActive(id)) {
      this.activePartitions++;
      this.partitionStats.peakActive = Math.max(this.partitionStats.peakActive, this.activePartitions);
      if (item.ok || item.errorOutputType === 'format-conversion-failed') entry.keys = this.keysOf(item);
    }
    return entry;
  }

  private keysOf(item: Buffered): PartitionKeys | undefined {
    if (!this.dynamic || item.partition === undefined) return undefined;
    const values = JSON.parse(item.partition) as string[];
    return Object.fromEntries(this.dynamic.keyNames.map((name, i) => [name, values[i] ?? '']));
  }

  /** Delivers what is buffered now (if anything); resolves when it is durable. */
  async flush(reason: DeliveryReason): Promise<void> {
    await this.placing;
    for (const id of [...this.buffers.keys()]) this.enqueue(id, reason);
    return this.idle();
  }

  /** Resolves when every page added so far is placed and every delivery started so far is durable; rejects with the first failure. */
  async idle(): Promise<void> {
    await this.placing;
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** The buffer now (for the live metrics), and the interval hint that bounds its wait. */
  bufferState(): BufferState & { intervalMillis: number } {
    let records = 0;
    let bytes = 0;
    let openedAtMillis: number | undefined;
    for (const { buffer } of this.buffers.values()) {
      const state = buffer.state;
      records += state.records;
      bytes += state.bytes;
      if (state.openedAtMillis !== undefined) openedAtMillis = Math.min(openedAtMillis ?? state.openedAtMillis, state.openedAtMillis);
    }
    return { records, bytes, openedAtMillis, intervalMillis: this.options.limits.intervalMillis };
  }

  /** Dynamic partitioning now: active partitions (PartitionCount), records sent past the limit, jq's time. */
  partitionState(): {
    active: number;
    /** Records are going past the limit to the error output now. */
    exceeding: boolean;
    peakActive: number;
    limit: number | undefined;
    exceededRecords: number;
    jqMillis: number;
    jqRecords: number;
  } {
    return { active: this.activePartitions, exceeding: this.exceededKeys.size > 0, limit: this.dynamic?.limit, ...this.partitionStats };
  }

  report(paths: { bucketDir: string; catalogFile: string }): DeliveryReport {
    return { ...paths, recordsDelivered: this.recordsDelivered, recordsFailed: this.recordsFailed, objects: [...this.delivered] };
  }

  close(): void {
    this.closed = true;
    this.clearTimer();
  }

  /** Takes a buffer and queues its delivery behind the ones already queued. */
  private enqueue(id: string, reason: DeliveryReason): void {
    const entry = this.buffers.get(id);
    if (!entry) return;
    const { items } = entry.buffer.take();
    if (items.length === 0) return;
    if (id === PARTITION_EXCEEDED) this.exceededKeys = new Set();
    const keys = entry.keys;
    entry.inFlight++;
    this.queued++;
    this.chain = this.chain
      .then(() => (this.failure ? undefined : this.deliver(items, reason, keys)))
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.queued--;
        entry.inFlight--;
        if (entry.inFlight === 0 && entry.buffer.state.records === 0) {
          if (this.dynamic && !id.startsWith('!')) this.activePartitions--;
          this.buffers.delete(id); // a delivered partition is gone (AWS: "removed from the active partition count")
        }
      });
  }

  /** Plan, stage, commit: the buffer becomes objects in the bucket and saved positions, or nothing at all. */
  private async deliver(items: Buffered[], reason: DeliveryReason, partitionKeys: PartitionKeys | undefined): Promise<void> {
    const { settings, tmpDir, bucketDir, checkpoints, writer, table, onCommitStep } = this.options;
    const positions = this.progress.settle(items);
    const plan = planDelivery(items, this.naming, { positions, ...(partitionKeys ? { partitionKeys } : {}) });
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

  /** Wakes when the earliest interval hint of the buffers is due (one timer for every partition). */
  private scheduleInterval(): void {
    let dueAt: number | undefined;
    for (const { buffer } of this.buffers.values()) {
      const due = intervalDueAt(buffer.state, this.options.limits);
      if (due !== undefined) dueAt = Math.min(dueAt ?? due, due);
    }
    this.clearTimer();
    if (dueAt === undefined) return;
    const timer = new AbortController();
    this.timer = timer;
    void this.clock.sleep(Math.max(0, dueAt - this.clock.now()), timer.signal).then(() => {
      if (timer.signal.aborted) return;
      this.timer = undefined;
      const now = this.clock.now();
      for (const [id, { buffer }] of this.buffers) {
        const reason = buffer.due(now);
        if (reason) this.enqueue(id, reason);
      }
      this.scheduleInterval();
    });
  }

  private clearTimer(): void {
    this.timer?.abort();
    this.timer = undefined;
  }
}
