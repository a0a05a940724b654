// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Import rules per folder: the boundaries of docs/architecture.md, enforced rather than hoped for. */
const boundaries = {
  electron: { name: 'electron', message: 'Only src/main/electron and src/preload may import electron.' },
  node: { group: ['node:*'], message: 'This layer runs without Node: keep Node APIs in src/main.' },
  awsSdk: { group: ['@aws-sdk/*'], message: 'Only main talks to S3: call the service through the contract.' },
  main: { group: ['**/main/**', '**/main'], message: 'The renderer reaches main only through src/renderer/api.ts.' },
  preload: {
    group: ['**/preload/**', '**/preload'],
    message: 'The renderer reaches main only through src/renderer/api.ts.',
  },
  react: { group: ['react', 'react-dom', 'react/*', 'zustand'], message: 'Shared code is UI-free.' },
};
const builtinPaths = nodeBuiltins.map((name) => ({ name, message: boundaries.node.message }));

export default tseslint.config(
  {
    ignores: [
      'out/',
      'release/',
      'node_modules/',
      '.cache/',
      'test-results/',
      'playwright-report/',
      'coverage/',
      'test/fixtures/',
      '.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [boundaries.electron, ...builtinPaths],
          patterns: [boundaries.node, boundaries.awsSdk, boundaries.react, boundaries.main],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [boundaries.electron] }] },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [boundaries.awsSdk, boundaries.main] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [boundaries.electron, ...builtinPaths],
          patterns: [boundaries.node, boundaries.awsSdk, boundaries.main, boundaries.preload],
        },
      ],
    },
  },
);
