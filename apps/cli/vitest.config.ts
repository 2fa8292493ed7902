import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/cli',
  test: {
    name: 'cli',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // The command is run as a child process, bundles built and the embedded lake started: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
