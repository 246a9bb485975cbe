// ESLint flat config. Besides the recommended rules it enforces the layer map of
// docs/ARCHITECTURE.md: each folder may import only the layers below it — and, inside the
// renderer, each of its folders only the renderer folders below it (RENDERER_LAYERS).
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
const CORNERSTONE = {
  group: ['@cornerstonejs/*'],
  message: 'Only src/renderer/src/viewer imports Cornerstone.',
};

// Folders inside src/renderer/src, lowest first, with the renderer folders each may import
// (besides itself, src/shared and libraries). Nothing imports a folder above it, so the folders
// form no cycle. The files directly in src/renderer/src (App.tsx, main.tsx) may import them all;
// a new folder gets its line here.
const RENDERER_LAYERS = {
  api: [],
  commands: [],
  viewer: [],
  'features/studies': ['api'],
  'features/annotation': ['commands', 'viewer', 'features/studies'],
  'features/editor': ['api', 'commands', 'viewer', 'features/annotation', 'features/studies'],
  'features/training': ['api', 'features/editor', 'features/studies'],
  'features/settings': ['api', 'features/studies', 'features/training'],
  'features/review': ['api', 'commands', 'viewer', 'features/editor', 'features/studies'],
  'features/models': ['features/review'],
  'features/pacs': ['api', 'features/studies'],
  'features/project': ['api', 'features/editor', 'features/pacs', 'features/studies'],
  'features/welcome': [
    'api',
    'commands',
    'features/editor',
    'features/settings',
    'features/studies',
  ],
  'features/shortcuts': ['commands'],
  'features/workspace': [
    'api',
    'commands',
    'viewer',
    'features/annotation',
    'features/editor',
    'features/review',
    'features/shortcuts',
    'features/studies',
    'features/welcome',
  ],
};

/** One config per renderer folder: the renderer's own bans plus the folders it may not import. */
function rendererLayers() {
  const folders = Object.keys(RENDERER_LAYERS);
  const name = (folder) => folder.split('/').at(-1);
  return folders.map((folder) => {
    const allowed = RENDERER_LAYERS[folder];
    const forbidden = folders.filter((f) => f !== folder && !allowed.includes(f));
    const may = allowed.length
      ? `only these renderer folders: ${allowed.join(', ')}`
      : 'no other renderer folder';
    const message = `src/renderer/src/${folder} may import ${may} (RENDERER_LAYERS in eslint.config.js keeps the folders free of cycles).`;
    return {
      files: [`src/renderer/src/${folder}/**`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: RENDERER_FORBIDDEN, message: RENDERER_MESSAGE },
              ...(folder === 'viewer' ? [] : [CORNERSTONE]),
              { group: forbidden.map((f) => `**/${name(f)}/**`), message },
            ],
          },
        ],
      },
    };
  });
}

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
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: RENDERER_FORBIDDEN, message: RENDERER_MESSAGE }, CORNERSTONE] },
      ],
    },
  },
  ...rendererLayers(),
  layer(
    ['src/preload/**'],
    ['**/core/**', '**/engine/**', '**/main/**', '**/server/**', '**/renderer/**'],
    'The preload only exposes the typed contract.',
  ),
);
