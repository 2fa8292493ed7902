import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/lake',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'lake',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // Tests start real processes (kinesalite, DuckDB): give I/O room on a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
