import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/producer',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'producer',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // Most of these tests wait for the processes they start, or for the shard limits' clock: two files at a time,
    // even on two cores, where Vitest's default is one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Real servers and child processes on a loaded 2-core machine: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
