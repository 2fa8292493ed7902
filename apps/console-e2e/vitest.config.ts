import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/console-e2e',
  test: {
    name: 'console-e2e',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // The browser tests mostly wait for the page and the lake, and this suite runs last in `npm test` (no project
    // depends on it, so Nx starts it last), when cores are free: two files at a time, even on two cores, where
    // Vitest's default is one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A lakehouse, a browser and 2,000 records through the pipeline: generous, never hit when things work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
