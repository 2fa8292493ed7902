import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/libs/athena-sql',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'athena-sql',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    // The SQL parser's V8 flags (NODE_FLAGS in @lakehouse/local), given at start as the `lakehouse` command gives
    // them: Node 24 ignores them set at run time, and the parser would take 900 MB instead of 180.
    execArgv: ['--liftoff-only', '--wasm-lazy-validation'],
    // A check binds its macros in DuckDB (tens of milliseconds, seconds with two cores shared by a whole nx run).
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
