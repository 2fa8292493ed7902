import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LakehouseError } from '@lakehouse/runtime';
import { embeddedLakeArgs, isEmbeddedLakeMessage, type DeliveryReport, type EmbeddedLakeCommand, type EmbeddedLakeMessage } from './protocol';

export interface EmbeddedLakeOptions {
  /** How to run the lake CLI: the `lakehouse` command (`[node, …/lakehouse.mjs]`), or its sources through tsx. */
  lakeCommand: readonly string[];
  /** The lakehouse's folder: Kinesis data, the bucket, the catalog. */
  dataDir: string;
  environment: string;
  cwd?: string;
  /** Starting kinesalite on a busy machine takes seconds. */
  readyTimeoutMs?: number;
  /** Reading every shard to its tip and writing the Parquet objects. */
  drainTimeoutMs?: number;
}

/** The producer's handle on the lake it started for this run. */
export interface EmbeddedLake {
  endpoint: string;
  streamName: string;
  /** Asks it to deliver everything sent and waits for its report; it then exits by itself. */
  drain(): Promise<DeliveryReport>;
  /** Ends it without delivering (after a failure). */
  kill(): void;
}

type MessageOf<T extends EmbeddedLakeMessage['type']> = Extract<EmbeddedLakeMessage, { type: T }>;

/** Waits for the child's next message of a type; its `failed` message, its exit or the timeout become one-line errors. */
function nextMessage<T extends EmbeddedLakeMessage['type']>(child: ChildProcess, type: T, doing: string, timeoutMs: number): Promise<MessageOf<T>> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      reject(new LakehouseError('lakehouse', `the embedded lakehouse ${message}`));
    };
    const onMessage = (message: unknown) => {
      if (!isEmbeddedLakeMessage(message)) return;
      if (message.type === 'failed') return fail(`failed ${doing}: ${message.message}`);
      if (message.type !== type) return;
      cleanup();
      resolve(message as MessageOf<T>);
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${signal ?? `code ${code}`}) ${doing}; run "nx run lake:up" to see why`);
    const onError = (error: Error) => fail(`could not run (${error.message})`);
    const timer = setTimeout(() => fail(`did not answer within ${Math.round(timeoutMs / 1000)} s ${doing}`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
    };
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}

/**
 * Starts the embedded local lakehouse as a child process (`<lake command> up --embedded`) and waits until its
 * Kinesis endpoint is ready. Its output goes to this process's stderr, so stdout stays the producer's (--json, --echo).
 */
export async function startEmbeddedLake(options: EmbeddedLakeOptions): Promise<EmbeddedLake> {
  const { lakeCommand, dataDir, environment, cwd, readyTimeoutMs = 60_000, drainTimeoutMs = 300_000 } = options;
  const [command = process.execPath, ...args] = lakeCommand;
  const script = args.at(-1);
  if (script && !existsSync(script)) {
    throw new LakehouseError(
      'lakehouse',
      `the embedded lakehouse is not available (${script} not found): start one with "nx run lake:up", or pass --endpoint URL or --target aws`,
    );
  }
  const child = spawn(command, [...args, ...embeddedLakeArgs({ dataDir, environment })], { cwd, stdio: ['ignore', 2, 'inherit', 'ipc'] });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  // Never leave it behind, whatever way this process ends.
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));

  let ready: MessageOf<'ready'>;
  try {
    ready = await nextMessage(child, 'ready', 'while starting', readyTimeoutMs);
  } catch (error) {
    kill();
    throw error;
  }
  return {
    endpoint: ready.endpoint,
    streamName: ready.streamName,
    kill,
    async drain() {
      if (!child.connected) throw new LakehouseError('lakehouse', 'the embedded lakehouse stopped before delivering; run "nx run lake:up" to see why');
      const drained = nextMessage(child, 'drained', 'while delivering', drainTimeoutMs);
      child.send({ type: 'drain' } satisfies EmbeddedLakeCommand);
      try {
        const { report } = await drained;
        // Everything is delivered and closed: it exits by itself, and this process need not wait for it.
        child.disconnect();
        child.unref();
        return report;
      } catch (error) {
        kill();
        throw error;
      }
    },
  };
}
