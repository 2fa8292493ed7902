import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/infra',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'infra',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // The synth, cdktf and terraform tests mostly wait for those processes, and this suite runs last in `npm test`
    // (no project depends on infra, so Nx starts it last), when cores are free: two files at a time, even on two
    // cores, where Vitest's default is one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Tests spawn synth, npx cdktf and terraform on a loaded 2-core machine: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
