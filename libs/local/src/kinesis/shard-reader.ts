import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { classifyAwsError } from '@lakehouse/aws';
import { LakehouseError } from '@lakehouse/runtime';

/** One record as delivery needs it. */
export interface StreamRecord {
  shardId: string;
  sequenceNumber: string;
  /** Kinesis' ApproximateArrivalTimestamp, epoch ms. */
  arrivalMillis: number;
  data: Uint8Array;
}

export interface ShardReaderOptions {
  client: KinesisClient;
  streamName: string;
  shardId: string;
  /** Resume after this sequence number (the checkpoint); from the shard's start when absent. */
  after: string | undefined;
  limit: number;
  pollIntervalMs: number;
  /** Receives each non-empty page in order; the reader waits for it (that is the back-pressure). */
  onRecords: (records: StreamRecord[]) => Promise<void>;
  /** A GetRecords call came back empty: the reader is at the shard's tip (CloudWatch reports iterator age 0 then). */
  onCaughtUp?: () => void;
  /** A GetRecords failure that will be retried. */
  onRetry?: (shardId: string, error: unknown) => void;
}

const RETRY_MAX_MS = 2_000;

/** The stream was deleted under the lake (DeleteStream, from a script or a tool): what it held is gone. */
function streamGone(streamName: string, cause: unknown): LakehouseError {
  return new LakehouseError(
    'lakehouse',
    `stream ${streamName} was deleted while the lakehouse ran (DeleteStream): records not yet delivered went with it; start the lakehouse again to create it`,
    { cause },
  );
}

/**
 * Reads one shard the way a Kinesis consumer does: GetShardIterator once, then GetRecords with each
 * NextShardIterator, pausing when the shard has nothing new. It can be asked to confirm it has reached the tip:
 * that is, a GetRecords call issued after the request came back empty.
 */
export class ShardReader {
  private stopped = false;
  private callsIssued = 0;
  private lastSequence: string | undefined;
  private waiters: Array<{ fromCall: number; resolve: () => void }> = [];
  private wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(private readonly options: ShardReaderOptions) {
    this.lastSequence = options.after;
    this.done = this.run();
  }

  /** Resolves once the reader has seen the shard's tip as of now. */
  caughtUp(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const waiter = new Promise<void>((resolve) => this.waiters.push({ fromCall: this.callsIssued, resolve }));
    this.wake?.();
    return waiter;
  }

  /** Stops after the call in flight; records of that call are still handed over. */
  stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    return this.done;
  }

  private async iterator(): Promise<string | undefined> {
    const { client, streamName, shardId } = this.options;
    const position = this.lastSequence
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: this.lastSequence }
      : { ShardIteratorType: 'TRIM_HORIZON' as const };
    const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ...position }));
    return ShardIterator;
  }

  /** Resolves the catch-up requests made before call `callId` was issued (it came back empty). */
  private settleWaiters(callId: number): void {
    const ready = this.waiters.filter((w) => w.fromCall <= callId);
    this.waiters = this.waiters.filter((w) => w.fromCall > callId);
    for (const w of ready) w.resolve();
  }

  /** Waits `ms`, or less when woken (a stop or a catch-up request). */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private async run(): Promise<void> {
    try {
      await this.read();
    } finally {
      this.stopped = true;
      this.settleWaiters(Number.POSITIVE_INFINITY);
    }
  }

  private async read(): Promise<void> {
    const { client, shardId, limit, pollIntervalMs, onRecords, onCaughtUp, onRetry } = this.options;
    let iterator: string | undefined;
    let retryMs = 50;
    while (!this.stopped) {
      const callId = this.callsIssued++;
      let records: StreamRecord[];
      try {
        iterator ??= await this.iterator();
        if (!iterator) break; // a closed shard has no more records
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
        records = (page.Records ?? []).map(
          (r): StreamRecord => ({
            shardId,
            sequenceNumber: r.SequenceNumber ?? '',
            arrivalMillis: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
            data: r.Data ?? new Uint8Array(),
          }),
        );
        iterator = page.NextShardIterator;
        retryMs = 50;
      } catch (error) {
        if (this.stopped) break;
        // Retrying can't bring back a deleted stream: the lake stops, saying so.
        if (classifyAwsError(error).code === 'ResourceNotFoundException') throw streamGone(this.options.streamName, error);
        iterator = undefined; // start again after the last record handed over
        if (classifyAwsError(error).code !== 'ExpiredIteratorException') {
          onRetry?.(shardId, error);
          await this.pause(retryMs);
          retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        }
        continue;
      }
      if (records.length > 0) {
        // A delivery failure is not retried here: it ends the reader (and the lakehouse reports it).
        await onRecords(records);
        this.lastSequence = records.at(-1)?.sequenceNumber;
      } else {
        onCaughtUp?.();
        this.settleWaiters(callId);
        if (iterator && this.waiters.length === 0) await this.pause(pollIntervalMs);
      }
      if (!iterator) break;
    }
  }
}
