import { startLakehouse, type InternalOptions, type LakehouseOptions, type LocalLakehouse } from '@lakehouse/local';
import { EXIT, onInterrupt, type ExitCode } from '@lakehouse/runtime';
import { banner, describeDelivery, describeReport } from './banner';
import type { UpSettings } from './options';

export type UpOptions = UpSettings & Pick<LakehouseOptions, 'onCommitStep'> & Pick<InternalOptions, 'deliveredRetentionSeconds'> & { consoleDir?: string };

/** Resolves when the signal aborts (at once if it has), with its reason. */
const whenAborted = (signal: AbortSignal) =>
  new Promise<NodeJS.Signals>((resolve) => {
    if (signal.aborted) resolve(signal.reason as NodeJS.Signals);
    else signal.addEventListener('abort', () => resolve(signal.reason as NodeJS.Signals), { once: true });
  });

/** Serves until asked to stop (drain and deliver, 0), to leave at once (130), or until delivery fails (8). */
async function serve(
  lake: LocalLakehouse,
  interrupts: { stop: AbortSignal; now: AbortSignal },
  persist: boolean,
  say: (line: string) => void,
): Promise<ExitCode> {
  const deliveredNextStart = persist ? ' (it is delivered at the next start)' : '';
  const first = await Promise.race([whenAborted(interrupts.stop).then((signal) => ({ signal })), lake.failed().then((error) => ({ error }))]);
  if ('error' in first) {
    say(`delivery failed: ${(first.error as Error).message}; nothing after the last delivery was saved${deliveredNextStart}`);
    await lake.abort();
    return EXIT.lakehouse;
  }
  say(`${first.signal}: reading the stream to its end and delivering the buffer…`);
  const stopped = lake.stop().then(
    (report): ExitCode => {
      say(describeReport(report));
      return EXIT.ok;
    },
    (error: unknown): ExitCode => {
      say(`stopping failed: ${(error as Error).message}; nothing after the last delivery was saved${deliveredNextStart}`);
      return EXIT.lakehouse;
    },
  );
  const leaving = whenAborted(interrupts.now).then(async (signal): Promise<ExitCode> => {
    say(`${signal} again: stopping without delivering the buffer${deliveredNextStart}`);
    await lake.abort();
    return EXIT.interrupted;
  });
  return Promise.race([stopped, leaving]);
}

/**
 * `lakehouse up`: the local lakehouse as a long-lived process, through `startLakehouse`. It says where it is and
 * each delivery as it happens (on stderr: stdout is for data, and `up` has none); Ctrl-C or SIGTERM drain the stream,
 * deliver the buffer and exit 0; a second Ctrl-C exits at once (130); a failed delivery stops it (8). Ctrl-C is
 * heard from the start: one pressed while the lakehouse starts stops it as soon as it is up. The console is for
 * looking, the lake's job is delivering: if the console can't start (its port is taken), the lake runs without it.
 */
export async function runUp(options: UpOptions, say: (line: string) => void): Promise<ExitCode> {
  const stop = new AbortController();
  const now = new AbortController();
  const removeInterrupt = onInterrupt({ stop: (signal) => stop.abort(signal), now: (signal) => now.abort(signal) });
  try {
    const { consolePort, consoleDir, verbose, ...lakeOptions } = options;
    const lake = await startLakehouse({
      ...lakeOptions,
      register: true,
      kind: 'lakehouse up',
      console: consolePort !== undefined,
      ...(consolePort === undefined ? {} : { consolePort }),
      ...(consoleDir ? { consoleAssetsDir: consoleDir } : {}),
      onConsoleError: (error) => say(`${(error as Error).message}; the lakehouse runs without it`),
      log: { say, verbose },
      onDelivered: (event) => say(describeDelivery(event)),
      onRetry: (shardId, error) => {
        if (verbose) say(`${new Date().toISOString().slice(11, 19)} ${shardId}: GetRecords failed, retrying: ${(error as Error).message}`);
      },
    });
    for (const line of banner(lake.info, options.persist, lake.consoleUrl)) say(line);
    return await serve(lake, { stop: stop.signal, now: now.signal }, options.persist, say);
  } finally {
    removeInterrupt();
  }
}
