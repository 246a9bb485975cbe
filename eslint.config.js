// ESLint flat config. Besides the recommended rules it enforces the layer map of
// docs/ARCHITECTURE.md: each folder may import only the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

const RENDERER_FORBIDDEN = [
  '**/core/**',
  '**/engine/**',
  '**/backend/**',
  '**/main/**',
  '**/server/**',
  '**/cli/**',
  'electron',
  'node:*',
];
const RENDERER_MESSAGE =
  'The renderer talks only to the API contract (src/shared) through src/renderer/api.';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  layer(
    ['src/shared/**'],
    [
      '**/core/**',
      '**/engine/**',
      '**/main/**',
      '**/renderer/**',
      '**/server/**',
      '**/cli/**',
      'electron',
      'node:*',
    ],
    'src/shared is the contract: it may import only zod and itself.',
  ),
  layer(
    ['src/core/**'],
    ['**/engine/**', '**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', 'electron'],
    'src/core is plain-Node domain code: it may import only src/shared and Node.',
  ),
  layer(
    ['src/engine/**'],
    ['**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', 'electron'],
    'src/engine may import only src/core, src/shared and Node.',
  ),
  layer(
    ['src/backend/**'],
    ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', 'electron'],
    'src/backend implements the API contract over core and engine, without Electron.',
  ),
  layer(
    ['src/server/**', 'src/cli/**'],
    ['**/main/**', '**/renderer/**', 'electron'],
    'server and CLI are Electron-free adapters over src/core and src/engine.',
  ),
  layer(['src/renderer/**'], RENDERER_FORBIDDEN, RENDERER_MESSAGE),
  {
    files: ['src/renderer/**'],
    ignores: ['src/renderer/src/viewer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: RENDERER_FORBIDDEN, message: RENDERER_MESSAGE },
            {
              group: ['@cornerstonejs/*'],
              message: 'Only src/renderer/src/viewer imports Cornerstone.',
            },
          ],
        },
      ],
    },
  },
  layer(
    ['src/preload/**'],
    ['**/core/**', '**/engine/**', '**/main/**', '**/server/**', '**/renderer/**'],
    'The preload only exposes the typed contract.',
  ),
);
