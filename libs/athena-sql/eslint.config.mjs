import baseConfig from '../../eslint.config.mjs';

// The library is pure (it runs in the browser's console too): no node:* imports, no Buffer, no process. Its tests
// run the macros in DuckDB: the specs and src/testing may import @duckdb/node-api (a devDependency) and node:*.
const [level, boundaries] = baseConfig.find((config) => config.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];

const athenaSqlBanning = (banned) => [
  level,
  {
    ...boundaries,
    depConstraints: boundaries.depConstraints.map((c) => (c.sourceTag === 'scope:athena-sql' ? { ...c, bannedExternalImports: banned(c.bannedExternalImports) } : c)),
  },
];

const TESTS = ['src/**/*.spec.ts', 'src/testing/**/*.ts'];

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'os', 'crypto', 'module', 'url', 'util', 'buffer', 'process'].map((name) => ({ name, message: 'athena-sql is pure: no Node.js modules' })),
          patterns: [{ group: ['node:*'], message: 'athena-sql is pure: no Node.js modules' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'athena-sql is pure: use Uint8Array' }, { name: 'process', message: 'athena-sql is pure: take what it needs as arguments' }],
    },
  },
  {
    files: TESTS,
    rules: { '@nx/enforce-module-boundaries': athenaSqlBanning((banned) => banned.filter((name) => name !== '@duckdb/*')) },
  },
];
