import { EXIT, LakehouseError, usageError, type ExitCode } from '@lakehouse/runtime';
import { isEmbeddedLakeCommand, type EmbeddedLakeMessage } from './protocol';
import type { KinesaliteServer } from '../kinesis/kinesalite';
import { Lakehouse } from '../lakehouse';
import { resolveOptions } from '../options';

/** Sends a message to the parent, resolving once it is handed over (or at once when there is no parent any more). */
export function tellParent(message: EmbeddedLakeMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** An embedded lake's parent hears why it failed, not just the exit code (the lake command's error path). */
export async function tellParentIfEmbedded(error: unknown): Promise<void> {
  if (!process.send || !process.connected) return;
  const message = error instanceof Error ? error.message : String(error);
  await tellParent({ type: 'failed', code: error instanceof LakehouseError ? error.code : 'unexpected', message: message.split('\n')[0] ?? message });
}

/**
 * Answers the parent until the lake is done: `drain` (or the parent going away, or SIGTERM) drains and delivers;
 * `drained` goes back with the report, or `failed` with why.
 */
function serveParent(lake: Lakehouse): Promise<ExitCode> {
  return new Promise<ExitCode>((resolve) => {
    let finishing = false;
    const finish = (answer: boolean) => {
      if (finishing) return;
      finishing = true;
      lake.stop().then(
        async (report) => {
          if (answer) await tellParent({ type: 'drained', report });
          resolve(EXIT.ok);
        },
        async (error: unknown) => {
          if (answer) await tellParent({ type: 'failed', code: 'lakehouse', message: `delivery failed: ${(error as Error).message}` });
          resolve(EXIT.lakehouse);
        },
      );
    };
    process.on('message', (message) => {
      if (isEmbeddedLakeCommand(message)) finish(true);
    });
    process.on('disconnect', () => finish(false));
    process.on('SIGTERM', () => finish(false));
    // The parent may have gone while this lakehouse was starting.
    if (!process.connected) finish(false);
    lake.onFailure((error) => {
      if (finishing) return;
      finishing = true;
      void tellParent({ type: 'failed', code: 'lakehouse', message: `delivery failed: ${(error as Error).message}` })
        .then(() => lake.abort())
        .finally(() => resolve(EXIT.lakehouse));
    });
  });
}

/** What the embedded lake is started with: its folder and environment (`up --embedded`), and whether to say retries. */
export interface EmbeddedOptions {
  environment: string;
  dataDir: string;
  verbose: boolean;
}

/**
 * The embedded lakehouse, started by `lakehouse send` as a child process with an IPC channel: Kinesis in memory on
 * a free port, no `lakehouse.json`, its output on the parent's stderr. It says `ready` with its endpoint, then loads
 * DuckDB while the parent sends; on `drain` it delivers everything and answers `drained` with the report.
 * (A failure to start reaches the parent through main's error path.)
 */
export async function runEmbedded(settings: EmbeddedOptions, say: (line: string) => void, server: Promise<KinesaliteServer>): Promise<ExitCode> {
  if (!process.send) {
    void server.then((s) => s.close()).catch(() => undefined);
    throw usageError('--embedded needs an IPC channel: it is started by "lakehouse send"; run "lakehouse up" yourself instead');
  }
  // The parent owns the terminal: Ctrl-C there reaches this process too, and the parent decides (drain or exit).
  process.on('SIGINT', () => undefined);
  const lake = await Lakehouse.start({
    ...resolveOptions({ environment: settings.environment, dataDir: settings.dataDir, port: 0 }),
    server,
    register: false,
    onRetry: (shardId, error) => {
      if (settings.verbose) say(`lakehouse: ${shardId}: GetRecords failed, retrying: ${(error as Error).message}`);
    },
  });
  // Listening before saying ready: a parent may answer `ready` with `drain` at once.
  const done = serveParent(lake);
  await tellParent({ type: 'ready', endpoint: lake.info.endpoint, streamName: lake.info.streamName });
  lake.warmUp();
  const code = await done;
  if (process.connected) process.disconnect();
  return code;
}
