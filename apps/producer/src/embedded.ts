import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeliveryReport, EmbeddedLakehouseCommand, EmbeddedLakehouseMessage } from '@lakehouse/pipeline';
import { EXIT, ProducerError } from './errors';

/** The folder holding nx.json above `from`: the repository root. */
export function repositoryRoot(from: string = import.meta.dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The lake app's CLI, found by path: an app never imports another app. */
export const LAKE_CLI = 'apps/lake/src/cli.ts';

export interface EmbeddedOptions {
  /** The lake CLI to run (apps/lake/src/cli.ts, or a test double speaking the same protocol). */
  lakeCli: string;
  /** The lakehouse's folder: Kinesis data, the bucket, the catalog. */
  dataDir: string;
  environment: string;
  cwd?: string;
  /** Starting kinesalite and DuckDB on a busy machine takes seconds. */
  readyTimeoutMs?: number;
  /** Reading every shard to its tip and writing the Parquet objects. */
  drainTimeoutMs?: number;
}

export interface EmbeddedLakehouse {
  endpoint: string;
  streamName: string;
  /** Asks it to deliver everything sent, waits for its report; it then exits by itself. */
  drain(): Promise<DeliveryReport>;
  /** Ends it without delivering (after a failure). */
  kill(): void;
}

function isMessage(value: unknown): value is EmbeddedLakehouseMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'drained' || type === 'failed';
}

/**
 * Waits for the child's next protocol message of the wanted type. A `failed` message, the child's exit,
 * or the timeout become one-line errors.
 */
function nextMessage<T extends EmbeddedLakehouseMessage['type']>(
  child: ChildProcess,
  type: T,
  doing: string,
  timeoutMs: number,
): Promise<Extract<EmbeddedLakehouseMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => {
      cleanup();
      reject(new ProducerError(`the embedded lakehouse ${message}`, EXIT.lakehouse));
    };
    const onMessage = (message: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === 'failed') return fail(`failed ${doing}: ${message.message}`);
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<EmbeddedLakehouseMessage, { type: T }>);
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited (${signal ?? `code ${code}`}) ${doing}; run "nx run lake:up" to see why`);
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
 * Starts the embedded local lakehouse as a child process (`lake up --embedded`) and waits until its
 * Kinesis endpoint is ready. The child speaks the protocol of EmbeddedLakehouseMessage/Command over
 * Node's IPC channel; its output goes to this process's stderr, so stdout stays the producer's (--json, --echo).
 */
export async function startEmbeddedLakehouse(options: EmbeddedOptions): Promise<EmbeddedLakehouse> {
  const { lakeCli, dataDir, environment, cwd, readyTimeoutMs = 60_000, drainTimeoutMs = 300_000 } = options;
  if (!existsSync(lakeCli)) {
    throw new ProducerError(
      `the embedded lakehouse is not available (${lakeCli} not found): start one with "nx run lake:up", or pass --endpoint URL or --target aws`,
      EXIT.lakehouse,
    );
  }
  // tsx resolved from here, so the child starts from any working directory.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, lakeCli, 'up', '--embedded', '--data-dir', dataDir, '--env', environment], {
    cwd,
    // The child's stdout goes to our stderr (fd 2): stdout carries the producer's data.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  // Never leave it behind, whatever way this process ends.
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));

  let ready: Extract<EmbeddedLakehouseMessage, { type: 'ready' }>;
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
      if (!child.connected) throw new ProducerError('the embedded lakehouse stopped before delivering; run "nx run lake:up" to see why', EXIT.lakehouse);
      const drained = nextMessage(child, 'drained', 'while delivering', drainTimeoutMs);
      const exited = new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
      child.send({ type: 'drain' } satisfies EmbeddedLakehouseCommand);
      try {
        const { report } = await drained;
        // It exits by itself once drained; don't let a slow exit hold the producer.
        const slow = setTimeout(kill, 10_000);
        await exited;
        clearTimeout(slow);
        return report;
      } catch (error) {
        kill();
        throw error;
      }
    },
  };
}
