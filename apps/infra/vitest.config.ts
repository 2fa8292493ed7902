import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/infra',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'infra',
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // Tests spawn synth, npx cdktf and terraform on a loaded 2-core machine: generous, never hit when things work.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
