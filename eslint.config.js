import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'bench/results/', 'web/dist/', 'web/src/api/schema.d.ts'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-assertions': ['warn', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // TanStack Router redirects and answers "not found" by throwing redirect() and notFound().
  { files: ['web/src/**/*.{ts,tsx}'], rules: { '@typescript-eslint/only-throw-error': 'off' } },
  // Plain JavaScript outside the TypeScript project (web app, bin shim, this file): lint it without types.
  { files: ['web/**/*.js', 'bin/*.js', '*.config.js'], ...tseslint.configs.disableTypeChecked },
);
