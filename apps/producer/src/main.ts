/**
 * `lakehouse send` (and `nx run producer:send`): parses the flags, wires Ctrl-C, runs the send, prints the summary.
 * The only place that turns a run into output and an exit code.
 */
import { errorReport, EXIT, interruptReason, onInterrupt, runCommand, type Io } from '@lakehouse/runtime';
import { parseSendArgs, usage } from './options';
import { formatSummary } from './report/summary';
import { startEmbeddedLakeEarly } from './destination/early-lake';
import type { RunContext } from './send';

/** The process the command runs in. */
export type SendContext = Omit<RunContext, 'signal' | 'progress' | 'embeddedLake'> & Io;

export async function main(argv: readonly string[], context: SendContext): Promise<number> {
  return runCommand(argv, context, async () => {
    const settings = parseSendArgs(argv);
    if (settings === 'help') {
      context.stdout.write(`${usage()}\n`);
      return EXIT.ok;
    }
    // The embedded lake starts while the rest of the producer loads.
    const embeddedLake = startEmbeddedLakeEarly(settings, context);
    const { runSend, STDOUT_CLOSED } = await import('./send');
    const stop = new AbortController();
    const removeInterrupt = onInterrupt({ stop: (signal) => stop.abort(interruptReason(signal)), now: () => process.exit(EXIT.interrupted) });
    // `--dry-run | head`: a closed stdout ends the run quietly.
    const onStdoutError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stop.abort(STDOUT_CLOSED);
    };
    context.stdout.on('error', onStdoutError);
    try {
      const progress = Boolean((context.stderr as NodeJS.WriteStream).isTTY) && !context.env.CI;
      const result = await runSend(settings, { ...context, signal: stop.signal, progress, ...(embeddedLake ? { embeddedLake } : {}) });
      if (settings.json) context.stdout.write(`${JSON.stringify(result.summary)}\n`);
      else context.stderr.write(`\n${formatSummary(result.summary)}\n`);
      if (result.error) context.stderr.write(`${errorReport(result.error, settings.verbose)}\n`);
      return result.exitCode;
    } finally {
      removeInterrupt();
      context.stdout.off('error', onStdoutError);
    }
  });
}
