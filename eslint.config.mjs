import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/.fiat', '**/vitest.config.*.timestamp*', '**/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          // fiat query loads @fiat/core with import() while DuckDB starts (packages/provisioner/src/commands/query.ts);
          // other CLI modules import it statically. The rule guards code splitting in bundled apps, which a Node CLI
          // does not do.
          checkDynamicDependenciesExceptions: ['@fiat/core'],
          depConstraints: [
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:schemas', onlyDependOnLibsWithTags: ['scope:core'], bannedExternalImports: ['@aws-sdk/*'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:core', 'scope:schemas'], bannedExternalImports: ['@aws-sdk/*', '@duckdb/*'] },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:provisioner', onlyDependOnLibsWithTags: ['scope:core', 'scope:schemas'] },
          ],
        },
      ],
    },
  },
  {
    // Hand-written CommonJS on purpose (see packages/core/cjs/*.cjs): require() is the point.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Build configuration shares tsdown.base.ts from the workspace root.
    files: ['**/tsdown.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
      'no-console': 'off',
    },
  },
];
