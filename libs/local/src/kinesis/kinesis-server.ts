import { CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { classifyAwsError } from '@lakehouse/aws';
import { shardCountOf, type PipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';
import { startKinesalite, type KinesaliteServer } from './kinesalite';
import type { StreamIdentity } from '../storage/checkpoints';

export interface KinesisServerOptions {
  /** 0 picks a free port. */
  port: number;
  /**
   * LevelDB folder for a stream kept on disk; in memory when absent. The data folder's lock is held first, so no other
   * lakehouse has it open (a damaged store is one line from the server).
   */
  dataDir?: string;
  /** A stream created before the server says it listens (the embedded lake: ready with no SDK loaded). */
  stream?: { name: string; shardCount: number };
}

/** The Kinesis API (kinesalite) on 127.0.0.1; a port that can't be had is one line that says what to do. */
export async function startKinesisServer(options: KinesisServerOptions): Promise<KinesaliteServer> {
  const { port, dataDir, stream } = options;
  try {
    return await startKinesalite({ port, ...(dataDir ? { path: dataDir } : {}), ...(stream ? { stream } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new LakehouseError('lakehouse', `port ${port} on 127.0.0.1 is in use by another program; stop it, or pass --port 0 to pick a free port`, {
        cause: error,
      });
    }
    if (code === 'EACCES')
      throw new LakehouseError('lakehouse', `port ${port} on 127.0.0.1 needs privileges this user lacks; pass a port above 1023 or --port 0`, { cause: error });
    throw error;
  }
}

export interface ReadyStream {
  identity: StreamIdentity;
  shards: Shard[];
  /** True when the stream was already there (kept on disk from an earlier run). */
  existed: boolean;
}

const ACTIVE_TIMEOUT_MS = 10_000;

/** Every shard of a stream, page by page. */
async function listShards(client: KinesisClient, StreamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(NextToken ? { NextToken } : { StreamName }));
    shards.push(...(page.Shards ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return shards;
}

/** Creates the settings' stream (name, shard count) unless it exists, and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, settings: PipelineSettings): Promise<ReadyStream> {
  const StreamName = settings.streamName;
  let existed = false;
  try {
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: shardCountOf(settings.capacity) }));
  } catch (error) {
    if (classifyAwsError(error).code !== 'ResourceInUseException') throw error;
    existed = true;
  }
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName }));
    if (summary?.StreamStatus === 'ACTIVE') {
      const createdAt = summary.StreamCreationTimestamp?.toISOString() ?? '';
      return { identity: { streamName: StreamName, createdAt }, shards: await listShards(client, StreamName), existed };
    }
    if (Date.now() > deadline)
      throw new LakehouseError('lakehouse', `stream ${StreamName} is still ${summary?.StreamStatus ?? 'unknown'} after ${ACTIVE_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
