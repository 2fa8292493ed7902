import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/producer',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'producer',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // Real servers and child processes on a loaded 2-core machine: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
