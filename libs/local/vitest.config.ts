import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/libs/local',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'local',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    // The SQL parser's V8 flags (NODE_FLAGS in ./src/node-flags.ts), given at start as the `lakehouse` command gives
    // them: Node 24 ignores them set at run time, and the parser would take 900 MB instead of 180.
    execArgv: ['--liftoff-only', '--wasm-lazy-validation'],
    reporters: ['default'],
    // Most of these tests wait for the processes they start (a lake, kinesalite, DuckDB): two files at a time, even
    // on two cores, where Vitest's default is one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests start real processes (kinesalite, DuckDB): give I/O room on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
