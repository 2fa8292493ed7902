import { builtinModules } from 'node:module';
import nx from '@nx/eslint-plugin';

// Module boundaries: a lib never imports an app, no app imports another; the pure libs stay free of AWS and CDKTF
// (tools/workspace/src/boundaries.spec.ts proves each rule refuses what it must).
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/cdktf.out', '**/.lakehouse', '**/vitest.config.*.timestamp*'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Small functions: each reads whole on one screen. Specs' describe blocks, test kits and benchmarks are exempt below.
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            {
              sourceTag: 'scope:schema',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs'],
            },
            {
              sourceTag: 'scope:pipeline',
              onlyDependOnLibsWithTags: ['scope:schema'],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs'],
            },
            {
              sourceTag: 'scope:firehose',
              onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline'],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs'],
            },
            {
              sourceTag: 'scope:runtime',
              onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline'],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs', '@duckdb/*'],
            },
            {
              sourceTag: 'scope:local',
              onlyDependOnLibsWithTags: [
                'scope:schema',
                'scope:pipeline',
                'scope:aws',
                'scope:firehose',
                'scope:runtime',
                'scope:athena-sql',
                'scope:console-api',
              ],
              bannedExternalImports: ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs'],
            },
            {
              sourceTag: 'scope:athena-sql',
              onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline'],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs', '@duckdb/*'],
            },
            {
              sourceTag: 'scope:console-api',
              onlyDependOnLibsWithTags: ['scope:pipeline', 'scope:schema'],
              bannedExternalImports: ['@aws-sdk/*', '@smithy/*', 'cdktf', 'cdktf/*', '@cdktf/*', 'constructs', '@duckdb/*', 'node:*'],
            },
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console-api', 'scope:pipeline', 'scope:schema'] },
            { sourceTag: 'scope:console-e2e', onlyDependOnLibsWithTags: ['scope:aws', 'scope:pipeline', 'scope:schema', 'scope:runtime', 'scope:local'] },
            { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:pipeline', 'scope:runtime'] },
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline', 'scope:runtime'] },
            { sourceTag: 'scope:producer', onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline', 'scope:aws', 'scope:runtime', 'scope:local'] },
            {
              sourceTag: 'scope:lake',
              onlyDependOnLibsWithTags: [
                'scope:schema',
                'scope:pipeline',
                'scope:aws',
                'scope:firehose',
                'scope:runtime',
                'scope:athena-sql',
                'scope:console-api',
                'scope:local',
              ],
            },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:runtime', 'scope:local'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**', '**/testing.ts', '**/bench/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/*.json'],
    rules: {},
    languageOptions: { parser: await import('jsonc-eslint-parser') },
  },
];

/**
 * The pure libraries (schema, pipeline, firehose, athena-sql, console-api): functions and data, no I/O, no module
 * state. The same code runs in Node, in the browser and in tests; Uint8Array, not Buffer. Their tests and test
 * fixtures (`testing.ts`) run in Node and may use it. Each pure lib's eslint.config.mjs adds this.
 */
export const pureLibrary = [
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts', 'src/testing.ts', 'src/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: 'a pure lib does no I/O: pass what it needs in' })),
          patterns: [{ group: ['node:*'], message: 'a pure lib does no I/O: pass what it needs in' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['Buffer', 'process', 'require', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: 'a pure lib runs anywhere: Uint8Array helpers, arguments, no process',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'Program > VariableDeclaration[kind="let"]', message: 'no module-level state in a pure lib: hand out an instance' },
        {
          selector: 'Program > ExportNamedDeclaration > VariableDeclaration[kind="let"]',
          message: 'no module-level state in a pure lib: hand out an instance',
        },
      ],
    },
  },
];
