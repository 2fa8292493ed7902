import { dirname, join } from 'node:path';
import { mergePartitionPositions, type PartitionPositions } from '../delivery/progress';
import { fsyncPath, pathExists, readStateFile, removeIfExists, writeFileDurably } from './durable';

/** Which stream the positions belong to: a recreated stream has new sequence numbers, so old positions don't apply. */
export interface StreamIdentity {
  streamName: string;
  /** The stream's creation time (ISO 8601), as DescribeStreamSummary gives it. */
  createdAt: string;
}

/** Shard id → sequence number of the last record delivered from it. */
export type ShardPositions = Record<string, string>;

/** A delivery between "objects written" and "positions saved": its objects and the positions it moves to. */
export interface PendingDelivery {
  /** Object keys, relative to the bucket folder. */
  keys: string[];
  positions: ShardPositions;
  /** Dynamic partitioning: the delivered partitions' positions, for records after the shard positions. */
  partitions?: PartitionPositions;
}

interface CheckpointFile {
  version: 1;
  stream: StreamIdentity;
  positions: ShardPositions;
  /** Absent without dynamic partitioning (and in files written before it). */
  partitions?: PartitionPositions;
  pending?: PendingDelivery;
}

/** What start-up found and did, so the CLI can say it. */
export interface Recovery {
  /**
   * A delivery interrupted between writing its objects and saving its positions: `completed` when all its objects
   * were in place (its positions are now saved), `undone` when not (the objects in place, listed in `removed`, were
   * removed, and its records are read and delivered again).
   */
  interrupted?: { outcome: 'completed' | 'undone'; keys: string[]; removed: string[] };
  /** The checkpoint belonged to another stream (recreated since): reading starts from the beginning. */
  otherStream: boolean;
}

/**
 * Each shard's last delivered sequence number, kept so a restart neither loses nor repeats records.
 *
 * A delivery commits in two durable steps: `prepare` records the delivery's object keys and new positions as
 * pending, the objects are renamed into the bucket, then `commit` saves the positions and clears the pending
 * entry. After a crash, `open` finishes a pending delivery whose objects are all in place, or undoes one whose
 * objects are not (removing those in place, so its records, still after the saved positions, are delivered once
 * when read again). With an in-memory stream nothing survives a restart, so nothing is written.
 */
export class CheckpointStore {
  private readonly commitListeners: Array<(positions: ShardPositions) => void> = [];

  private constructor(
    private readonly file: string | undefined,
    private readonly stream: StreamIdentity,
    private positions: ShardPositions,
    private partitions: PartitionPositions = {},
  ) {}

  /** Positions kept in memory only (the stream itself is in memory). */
  static inMemory(stream: StreamIdentity): CheckpointStore {
    return new CheckpointStore(undefined, stream, {});
  }

  /** Loads the checkpoint file and recovers an interrupted delivery whose objects live under `bucketDir`. */
  static async open(options: { file: string; stream: StreamIdentity; bucketDir: string }): Promise<{ store: CheckpointStore; recovery: Recovery }> {
    const { file, stream, bucketDir } = options;
    const recovery: Recovery = { otherStream: false };
    const saved = await readCheckpointFile(file);
    let positions: ShardPositions = {};
    let partitions: PartitionPositions = {};
    if (saved && (saved.stream.streamName !== stream.streamName || saved.stream.createdAt !== stream.createdAt)) {
      recovery.otherStream = true;
    } else if (saved) {
      positions = saved.positions;
      partitions = saved.partitions ?? {};
      if (saved.pending) {
        const { keys } = saved.pending;
        const inPlace = await Promise.all(keys.map((key) => pathExists(join(bucketDir, key))));
        if (inPlace.every(Boolean)) {
          positions = { ...positions, ...saved.pending.positions };
          partitions = mergePartitionPositions(partitions, saved.pending.partitions ?? {}, positions);
          recovery.interrupted = { outcome: 'completed', keys, removed: [] };
        } else {
          const removed = keys.filter((_, i) => inPlace[i]);
          for (const key of removed) {
            await removeIfExists(join(bucketDir, key));
            await fsyncPath(dirname(join(bucketDir, key)));
          }
          recovery.interrupted = { outcome: 'undone', keys, removed };
        }
      }
    }
    const store = new CheckpointStore(file, stream, positions, partitions);
    if (saved?.pending || recovery.otherStream) await store.save(undefined);
    return { store, recovery };
  }

  /** Where each shard's reading resumes: after this sequence number. */
  position(shardId: string): string | undefined {
    return this.positions[shardId];
  }

  /** Every shard's saved position: records up to these are delivered. */
  delivered(): ShardPositions {
    return { ...this.positions };
  }

  /** Dynamic partitioning: each partition's delivered position past the shard positions (records to skip on reading). */
  partitionPositions(): PartitionPositions {
    return structuredClone(this.partitions);
  }

  /** Step 1: the delivery's objects are written and fsynced under temporary names. */
  async prepare(pending: PendingDelivery): Promise<void> {
    await this.save(pending);
  }

  /** Step 2: the objects are in place; the delivery's positions become the saved ones. */
  async commit(positions: ShardPositions, partitions: PartitionPositions = {}): Promise<void> {
    this.positions = { ...this.positions, ...positions };
    this.partitions = mergePartitionPositions(this.partitions, partitions, this.positions);
    await this.save(undefined);
    for (const listener of this.commitListeners) listener(positions);
  }

  /** Told of the positions of each delivery once they are saved: the records up to them are delivered for good. */
  onCommit(listener: (positions: ShardPositions) => void): void {
    this.commitListeners.push(listener);
  }

  private async save(pending: PendingDelivery | undefined): Promise<void> {
    if (!this.file) return;
    const content: CheckpointFile = {
      version: 1,
      stream: this.stream,
      positions: this.positions,
      ...(Object.keys(this.partitions).length > 0 ? { partitions: this.partitions } : {}),
      ...(pending ? { pending } : {}),
    };
    await writeFileDurably(this.file, `${JSON.stringify(content, null, 2)}\n`);
  }
}

function readCheckpointFile(file: string): Promise<CheckpointFile | undefined> {
  return readStateFile<CheckpointFile>(
    file,
    (json) => json.version === 1 && Boolean(json.stream) && Boolean(json.positions),
    'is damaged; move it away to deliver the stream again from its start (records already in the lake would then appear twice)',
  );
}
