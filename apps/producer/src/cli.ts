/**
 * The producer run from its sources (`node --import tsx apps/producer/src/cli.ts`), as the tests do; the `lakehouse`
 * command runs a bundle of main.ts instead, which is faster to start.
 */
import { enableCompileCache } from 'node:module';

// As the `lakehouse` command does: V8 keeps what it compiled on disk, and the many processes the tests start reuse it.
enableCompileCache();
const { main } = await import('./main');

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
// A run ended by --duration, Ctrl-C or an error may leave stdin mid-read (`tail -f log | … --input -`), which would
// keep the process alive until the writer closes the pipe.
process.stdin.destroy();
