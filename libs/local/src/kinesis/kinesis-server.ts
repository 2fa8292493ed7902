import { createRequire } from 'node:module';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { classifyAwsError } from '@lakehouse/aws';
import { shardCountOf, type PipelineSettings } from '@lakehouse/pipeline';
import { LakehouseError } from '@lakehouse/runtime';
import { startKinesalite, type KinesaliteServer } from './kinesalite';
import type { StreamIdentity } from '../storage/checkpoints';

export interface KinesisServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** LevelDB folder for a stream kept on disk; in memory when absent. */
  dataDir?: string;
}

/** kinesalite's LevelDB binding, resolved from kinesalite's own folder as kinesalite loads it. */
function leveldown(path: string): { open(cb: (error?: Error) => void): void; close(cb: (error?: Error) => void): void } {
  const requireFromKinesalite = createRequire(createRequire(import.meta.url).resolve('kinesalite'));
  return (requireFromKinesalite('leveldown') as (p: string) => ReturnType<typeof leveldown>)(path);
}

/**
 * kinesalite opens its LevelDB without a callback, so a failure (another process holding the folder) would crash
 * the process from an event no one listens to. Opening it first, briefly, turns that into a message.
 */
async function checkLevelDb(dataDir: string): Promise<void> {
  const db = leveldown(dataDir);
  await new Promise<void>((resolve, reject) => {
    db.open((error) => {
      if (!error) {
        db.close(() => resolve());
        return;
      }
      const reason = /lock/i.test(error.message)
        ? 'another lakehouse is using it; stop that one (or give this one another --data-dir)'
        : `${error.message}; move it away to start with an empty stream`;
      reject(new LakehouseError('lakehouse', `Kinesis data in ${dataDir} can't be opened: ${reason}`, { cause: error }));
    });
  });
}

/** The Kinesis API (kinesalite) on 127.0.0.1; a port that can't be had is one line that says what to do. */
export async function startKinesisServer(options: KinesisServerOptions): Promise<KinesaliteServer> {
  const { port, dataDir } = options;
  if (dataDir) await checkLevelDb(dataDir);
  try {
    return await startKinesalite({ port, ...(dataDir ? { path: dataDir } : {}) });
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
