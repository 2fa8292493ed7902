import type { EmbeddedLakehouseCommand, EmbeddedLakehouseMessage } from '@lakehouse/pipeline';
import { LakeError } from './errors';
import { startLakehouse, type LakehouseOptions, type StartedLakehouse } from './lakehouse';

export type EmbeddedOptions = Pick<LakehouseOptions, 'environment' | 'dataDir' | 'bufferIntervalSeconds' | 'bufferSizeMiB'> & { verbose?: boolean };

/** Sends a message to the parent, resolving once it is handed over (or at once when there is no parent any more). */
export function send(message: EmbeddedLakehouseMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function isDrain(message: unknown): message is EmbeddedLakehouseCommand {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'drain';
}

/**
 * The embedded lakehouse, started by `nx run producer:send` as a child process with an IPC channel:
 * Kinesis in memory on a free port, stdout kept quiet, no `lakehouse.json`. It says `ready` with its endpoint;
 * on `drain` it reads every shard to its tip, delivers everything buffered, answers `drained` with the report and
 * exits 0. A failure is sent as `failed` (exit 1). If the channel closes (the parent died) it drains and exits.
 */
export async function runEmbedded(options: EmbeddedOptions): Promise<number> {
  if (!process.send) throw new LakeError('--embedded needs an IPC channel: it is started by "nx run producer:send"; run "nx run lake:up" yourself instead', 2);
  // The parent owns the terminal: Ctrl-C there reaches this process too, and the parent decides (drain or exit).
  process.on('SIGINT', () => undefined);

  let lake: StartedLakehouse;
  try {
    lake = await startLakehouse({
      ...options,
      port: 0,
      persist: false,
      register: false,
      onRetry: (shardId, error) => {
        if (options.verbose) process.stderr.write(`lakehouse: ${shardId}: GetRecords failed, retrying: ${(error as Error).message}\n`);
      },
    });
  } catch (error) {
    await send({ type: 'failed', message: (error as Error).message });
    return error instanceof LakeError ? error.exitCode : 1;
  }

  // Listening before saying ready: a parent may answer `ready` with `drain` at once.
  const finished = new Promise<number>((resolve) => {
    let finishing = false;
    const finish = (answer: boolean) => {
      if (finishing) return;
      finishing = true;
      lake.stop().then(
        async (report) => {
          if (answer) await send({ type: 'drained', report });
          resolve(0);
        },
        async (error: unknown) => {
          if (answer) await send({ type: 'failed', message: `delivery failed: ${(error as Error).message}` });
          resolve(1);
        },
      );
    };
    process.on('message', (message) => {
      if (isDrain(message)) finish(true);
    });
    process.on('disconnect', () => finish(false));
    process.on('SIGTERM', () => finish(false));
    // The parent may have gone while this lakehouse was starting.
    if (!process.connected) finish(false);
    lake.failed.catch(async (error: unknown) => {
      if (finishing) return;
      finishing = true;
      await send({ type: 'failed', message: `delivery failed: ${(error as Error).message}` });
      await lake.abort();
      resolve(1);
    });
  });
  await send({ type: 'ready', endpoint: lake.endpoint, streamName: lake.streamName });
  const code = await finished;
  if (process.connected) process.disconnect();
  return code;
}
