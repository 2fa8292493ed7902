import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { BufferingLimits } from '@lakehouse/firehose';
import { MAX_BUFFER_SIZE_MIB, pipelineSettings, type Partitioning } from '@lakehouse/pipeline';
import type { Clock } from '@lakehouse/runtime';
import { parquetColumns } from '@lakehouse/schema';
import { Delivery, type DeliveredEvent } from '../delivery/delivery';
import { ParquetWriter } from '../delivery/parquet-writer';
import type { StreamRecord } from '../kinesis/shard-reader';
import { CheckpointStore } from '../storage/checkpoints';

export const FIRST_SHARD = 'shardId-000000000000';
/** Arrival partitioning unless a test asks for event time (dev's default). */
const settingsFor = (partitioning: Partitioning) => pipelineSettings('dev', { partitioning });
const settings = settingsFor('arrival');
const table = { catalogId: null, databaseName: 'lakehouse_dev', tableName: 'events', region: 'us-east-1', versionId: 'LATEST', catalogArn: null };
/** Hints no test reaches unless it means to: only a flush delivers. */
const NEVER: BufferingLimits = { sizeBytes: MAX_BUFFER_SIZE_MIB * 1024 * 1024, intervalMillis: 3_600_000 };

/**
 * A delivery on real files for a spec: registers its hooks (one Parquet writer for the file, a fresh folder and
 * in-memory checkpoints for each test) and gives what the test reads: the events delivered, the checkpoints.
 */
export function useDeliveryBench() {
  let writer: ParquetWriter;
  let sequence = 0;
  const bench = {
    dir: '',
    events: [] as DeliveredEvent[],
    checkpoints: CheckpointStore.inMemory({ streamName: settings.streamName, createdAt: 'now' }),
    delivery: (limits: BufferingLimits = NEVER, clock?: Clock, partitioning: { partitioning?: Partitioning; activePartitionLimit?: number } = {}): Delivery =>
      new Delivery({
        ...(clock ? { clock } : {}),
        ...(partitioning.activePartitionLimit === undefined ? {} : { activePartitionLimit: partitioning.activePartitionLimit }),
        settings: settingsFor(partitioning.partitioning ?? 'arrival'),
        bucketDir: join(bench.dir, 'bucket'),
        tmpDir: join(bench.dir, 'tmp'),
        limits,
        columns: parquetColumns(),
        table,
        checkpoints: bench.checkpoints,
        writer: async () => writer,
        onDelivered: (event) => bench.events.push(event),
      }),
    /** Kinesis records of these bytes, with sequence numbers rising across the file. */
    streamRecords: (data: Uint8Array[], arrivalMillis = Date.now(), shardId = FIRST_SHARD): StreamRecord[] =>
      data.map((d) => ({ shardId, sequenceNumber: String(++sequence).padStart(10, '0'), arrivalMillis, data: d })),
  };
  beforeAll(async () => {
    writer = await ParquetWriter.create(parquetColumns());
  });
  afterAll(() => writer.close());
  beforeEach(async () => {
    bench.dir = await mkdtemp(join(tmpdir(), 'lake-delivery-'));
    await mkdir(join(bench.dir, 'tmp'));
    bench.events = [];
    bench.checkpoints = CheckpointStore.inMemory({ streamName: settings.streamName, createdAt: 'now' });
  });
  afterEach(() => rm(bench.dir, { recursive: true, force: true }));
  return bench;
}
