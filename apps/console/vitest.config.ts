import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/console',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'console',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
    reporters: ['default'],
    passWithNoTests: true,
  },
});
