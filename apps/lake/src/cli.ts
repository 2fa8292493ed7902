/**
 * The lake run from its sources (`node --import tsx apps/lake/src/cli.ts up|query …`), as the tests do; the
 * `lakehouse` command runs a bundle of main.ts instead, which is faster to start.
 */
import { enableCompileCache } from 'node:module';

// As the `lakehouse` command does: V8 keeps what it compiled on disk, and the many processes the tests start reuse it.
enableCompileCache();
const { main } = await import('./main');
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
// Open handles (DuckDB's pool, SDK sockets) must not keep a finished command alive; let stdout drain first.
process.stdout.write('', () => process.exit(code));
