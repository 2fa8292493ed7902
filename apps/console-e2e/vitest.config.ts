import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/console-e2e',
  test: {
    name: 'console-e2e',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // A lakehouse, a browser and 2,000 records through the pipeline: generous, never hit when things work.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
