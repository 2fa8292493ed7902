import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/console',
  resolve: { conditions: ['@lakehouse/source'] },
  test: {
    name: 'console',
    environment: 'node',
    include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
    reporters: ['default'],
    passWithNoTests: true,
  },
});
