import nx from '@nx/eslint-plugin';

// Module boundaries: a lib never imports an app; libs/schema stays free of AWS and CDKTF.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/cdktf.out', '**/.lakehouse', '**/vitest.config.*.timestamp*'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
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
            { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline'] },
            { sourceTag: 'scope:producer', onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline', 'scope:aws'] },
            { sourceTag: 'scope:lake', onlyDependOnLibsWithTags: ['scope:schema', 'scope:pipeline', 'scope:aws', 'scope:firehose'] },
            { sourceTag: 'scope:aws', onlyDependOnLibsWithTags: ['scope:pipeline'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.json'],
    rules: {},
    languageOptions: { parser: await import('jsonc-eslint-parser') },
  },
];
