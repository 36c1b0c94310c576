// Lint: typescript-eslint's recommended rules with type information, plus the layering rules
// of ARCHITECTURE.md — the UI reaches data only through src/data/index.ts, shared imports
// only zod, nothing imports the server from the client side.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'dev-dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'dexie', message: 'The UI reads and writes through src/data/index.ts only.' }],
          patterns: [
            { group: ['**/server/**'], message: 'The app never imports the server.' },
            { regex: '/data/(?!index\\.ts$)', message: 'The UI reaches data only through src/data/index.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod(/mini)?$|\\.{1,2}/)',
              message: 'src/shared imports only zod (it runs on the phone, in the worker and on the server).',
            },
            { group: ['**/data/**', '**/app/**', '**/server/**'], message: 'src/shared depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/data/**', 'sw/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', '**/app/**'], message: 'data and sw never import the app or the server.' }] },
      ],
    },
  },
  {
    files: ['src/server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/data/**', '**/app/**'], message: 'The server depends on shared only.' }] },
      ],
    },
  },
);
