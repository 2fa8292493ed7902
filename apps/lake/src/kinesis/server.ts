import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { shardCountOf, type PipelineSettings } from '@lakehouse/pipeline';
import { awsErrorName, errorCode, LakeError } from '../errors';
import type { StreamIdentity } from '../storage/checkpoints';

export interface KinesisServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export interface KinesisServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** LevelDB folder for a stream kept on disk; in memory when absent. */
  dataDir?: string;
  /** Said in the port-in-use message: where a running lakehouse would be registered. */
  runningFile?: string;
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
      reject(new LakeError(`Kinesis data in ${dataDir} can't be opened: ${reason}`));
    });
  });
}

/** Starts the Kinesis API (kinesalite) on loopback. */
export async function startKinesisServer(options: KinesisServerOptions): Promise<KinesisServer> {
  const { host, port, dataDir, runningFile } = options;
  if (dataDir) await checkLevelDb(dataDir);
  // Streams become ACTIVE at once: nothing is provisioned locally.
  const server = kinesalite({ path: dataDir, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      server.close(() => undefined); // releases kinesalite's store

      if (errorCode(error) === 'EADDRINUSE') {
        const who = runningFile ? `another lakehouse may be running (see ${runningFile})` : 'another program is using it';
        reject(new LakeError(`port ${port} on ${host} is in use: ${who}; stop it, or pass --port 0 to pick a free port`));
      } else if (errorCode(error) === 'EACCES') {
        reject(new LakeError(`port ${port} on ${host} needs privileges this user lacks; pass a port above 1023 or --port 0`));
      } else {
        reject(error);
      }
    });
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (the SDK's, a producer's) would otherwise hold the server open.
        server.closeAllConnections();
      }),
  };
}

export interface ReadyStream {
  identity: StreamIdentity;
  shards: Shard[];
  /** True when the stream was already there (kept on disk from an earlier run). */
  existed: boolean;
}

const ACTIVE_TIMEOUT_MS = 10_000;

/** Creates the settings' stream (name, shard count) unless it exists, and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, settings: PipelineSettings): Promise<ReadyStream> {
  const StreamName = settings.streamName;
  let existed = false;
  try {
    await client.send(new CreateStreamCommand({ StreamName, ShardCount: shardCountOf(settings.capacity) }));
  } catch (error) {
    if (awsErrorName(error) !== 'ResourceInUseException') throw error;
    existed = true;
  }
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName }));
    if (summary?.StreamStatus === 'ACTIVE') {
      const shards: Shard[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListShardsCommand(NextToken ? { NextToken } : { StreamName }));
        shards.push(...(page.Shards ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      const createdAt = summary.StreamCreationTimestamp?.toISOString() ?? '';
      return { identity: { streamName: StreamName, createdAt }, shards, existed };
    }
    if (Date.now() > deadline) throw new LakeError(`stream ${StreamName} is still ${summary?.StreamStatus ?? 'unknown'} after ${ACTIVE_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
