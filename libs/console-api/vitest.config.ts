import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/libs/console-api',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'console-api',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
  },
});
