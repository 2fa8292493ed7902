import { defineConfig } from 'vitest/config';

// Checks of the workspace as a whole (its module boundaries), not of any one project.
export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/workspace',
  test: {
    name: 'workspace',
    environment: 'node',
    // Each worker runs file after file instead of a fresh process per file (0.3 s of CPU each, and the SQL parser,
    // DuckDB and cdktf loaded again in each): no spec mocks a module or changes process.env.
    isolate: false,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
  },
});
