import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/cli',
  test: {
    name: 'cli',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // The command is run as a child process, bundles built and the embedded lake started: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
