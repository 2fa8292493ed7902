import baseConfig, { pureLibrary } from '../../eslint.config.mjs';

// Pure, as the other pure libs. Its tests run the macros in DuckDB: the specs and src/testing may import
// @duckdb/node-api (a devDependency).
const [level, boundaries] = baseConfig.find((config) => config.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];
const testsMayUseDuckDb = [
  level,
  {
    ...boundaries,
    depConstraints: boundaries.depConstraints.map((c) =>
      c.sourceTag === 'scope:athena-sql' ? { ...c, bannedExternalImports: c.bannedExternalImports.filter((name) => name !== '@duckdb/*') } : c,
    ),
  },
];

export default [
  ...baseConfig,
  ...pureLibrary,
  { files: ['src/**/*.spec.ts', 'src/testing/**/*.ts'], rules: { '@nx/enforce-module-boundaries': testsMayUseDuckDb } },
];
