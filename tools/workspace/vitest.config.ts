import { defineConfig } from 'vitest/config';

// Checks of the workspace as a whole (its module boundaries), not of any one project.
export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/workspace',
  test: {
    name: 'workspace',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
  },
});
