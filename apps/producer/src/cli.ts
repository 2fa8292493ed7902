/**
 * `nx run producer:send`: a thin layer over runSend(). It parses the flags, wires Ctrl-C and the
 * terminal, prints the summary, and is the only place that turns an error into a line and an exit code.
 */
import { EXIT, ProducerError } from './errors';
import { parseSendArgs, usage } from './options';
import { runSend, STDOUT_CLOSED, stopOnSignal } from './run';
import { formatSummary } from './summary';

async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    const settings = parseSendArgs(argv);
    if (settings === 'help') {
      process.stdout.write(`${usage()}\n`);
      return EXIT.ok;
    }
    const stop = new AbortController();
    const onStop = stopOnSignal(stop, (code) => process.exit(code));
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    // `--dry-run | head`: a closed stdout ends the run quietly.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stop.abort(STDOUT_CLOSED);
    });
    const result = await runSend(settings, {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      cwd: process.cwd(),
      signal: stop.signal,
      progress: Boolean(process.stderr.isTTY) && !process.env.CI,
    });
    if (settings.json) process.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else process.stderr.write(`\n${formatSummary(result.summary)}\n`);
    if (result.error) process.stderr.write(`error: ${result.error.message}\n`);
    return result.exitCode;
  } catch (error) {
    const known = error instanceof ProducerError;
    process.stderr.write(`error: ${known ? error.message : (error as Error).message ?? String(error)}\n`);
    if (verbose || !known) {
      const { stack, cause } = error as Error;
      process.stderr.write(`${stack ?? ''}\n${cause instanceof Error ? `caused by: ${cause.stack}\n` : ''}`);
    }
    return known ? error.exitCode : EXIT.unexpected;
  }
}

process.exitCode = await main(process.argv.slice(2));
// A run ended by --duration, Ctrl-C or an error may leave stdin mid-read (`tail -f log | … --input -`), which would
// keep the process alive until the writer closes the pipe.
process.stdin.destroy();
