#!/usr/bin/env node
// `npm start` (Node): builds once and opens the desktop app (electron-vite preview), after
// checking that Electron's binary is there. Installs made with ELECTRON_SKIP_BINARY_DOWNLOAD=1
// or offline have none, and `require('electron')` would then start a download or fail with a
// stack trace; this says in one line what is missing and how to go on instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The Electron executable electron-vite would start (ELECTRON_EXEC_PATH, else the package's
 * path.txt under dist/), or undefined when it is not there.
 */
function electronBinary() {
  let binary = process.env.ELECTRON_EXEC_PATH;
  if (!binary) {
    let dir;
    try {
      dir = path.dirname(require.resolve('electron/package.json'));
    } catch {
      return undefined;
    }
    const pathFile = path.join(dir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
    if (relative) binary = path.join(dir, 'dist', relative);
  }
  return binary && existsSync(binary) ? binary : undefined;
}

if (!electronBinary()) {
  process.stderr.write(
    "simcvd: Electron's binary is not installed (node_modules/electron/dist is missing): " +
      'download it with "npx electron --version" or "npm rebuild electron", ' +
      'or open the same app in a browser with "npm run serve" (builds, then runs "npx simcvd serve").\n',
  );
  process.exit(1);
}

// The package's exports hide its bin file; it sits next to package.json.
const cli = path.join(
  path.dirname(require.resolve('electron-vite/package.json')),
  'bin',
  'electron-vite.js',
);
const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
