// ESLint flat config. Besides the usual TypeScript rules, this file is where the layering in
// ARCHITECTURE.md is enforced: each folder may import only what the layer below it offers.
// test/lint/layering.test.ts proves each rule fires, so a rule cannot silently stop working.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { engineLayersPlugin } from './lint/engine-layers.js';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** UI and Electron libraries the engine must never see. */
const uiLibraries = ['electron', 'react', 'react-dom', 'react/*', 'jotai', '@radix-ui/*'];

/** Layers above the engine: the engine may never reach up into them. */
const upperLayers = ['**/cli/**', '**/main/**', '**/preload/**', '**/renderer/**'];

/** cli/ and main/ may take from the engine only its API: the contract and its entry point. */
const engineInternalsExceptApi = String.raw`^(?:\.\./)+engine/(?!api/|contract/)`;

/**
 * The renderer and preload may take from the engine only the contract (engine/contract, which
 * imports nothing but zod), never engine code.
 */
const engineExceptContracts = String.raw`^(?:\.\./)+engine/(?!contract/)`;

const domGlobals = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.cache/**',
      'dist/**',
      'out/**',
      'test/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Inside the engine: README.md's layout table, row by row (lint/engine-layers.js).
    files: ['engine/**/*.ts'],
    plugins: { layering: engineLayersPlugin(ROOT) },
    rules: { 'layering/engine-layers': 'error' },
  },
  {
    files: ['engine/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: uiLibraries
            .filter((name) => !name.includes('*'))
            .map((name) => ({ name, message: 'engine/ is pure Node: no UI or Electron imports.' })),
          patterns: [
            { group: uiLibraries, message: 'engine/ is pure Node: no UI or Electron imports.' },
            {
              group: upperLayers,
              message:
                'engine/ is the bottom layer; it never imports cli/, main/, preload/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...domGlobals.map((name) => ({ name, message: 'engine/ runs on Node: no DOM globals.' })),
      ],
    },
  },
  {
    // The contract is a leaf: zod only, so the renderer, preload and any client can load it.
    files: ['engine/contract/**/*.ts'],
    ignores: ['engine/contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(?!zod$|\./[\w.-]+\.ts$)`,
              message: 'engine/contract is a leaf: it imports only zod and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: engineInternalsExceptApi,
              message: 'cli/ uses the engine only through engine/api.',
            },
            {
              group: ['**/main/**', '**/preload/**', '**/renderer/**'],
              message: 'cli/ is an adapter; it does not import other adapters.',
            },
            { group: ['electron', 'react', 'react-dom'], message: 'cli/ runs headless on Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: engineInternalsExceptApi,
              message: 'main/ uses the engine only through engine/api.',
            },
            {
              group: ['**/cli/**', '**/renderer/**'],
              message: 'main/ does not import the CLI or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: engineExceptContracts,
              message: 'preload/ exposes the contract client only; it never loads engine code.',
            },
            {
              group: ['**/cli/**', '**/main/**', '**/renderer/**'],
              message: 'preload/ is a bridge, not a consumer of other layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'renderer/ runs in the browser: no Node built-ins.',
          })),
          patterns: [
            {
              regex: engineExceptContracts,
              message: 'renderer/ imports only engine/contract.',
            },
            {
              group: ['electron', 'better-sqlite3', 'dockerode'],
              message: 'renderer/ talks to the engine only through the contract client.',
            },
            {
              group: ['**/cli/**', '**/main/**', '**/preload/**'],
              message: 'renderer/ does not import other adapters.',
            },
          ],
        },
      ],
    },
  },
);
