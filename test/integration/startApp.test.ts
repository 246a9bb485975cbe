// `npm start` (bin/start-app.js, Node): without Electron's binary it says in one line what is
// missing and how to go on (download it, or server mode in a browser) instead of electron-vite's
// "Electron uninstall" stack; with one it hands over to electron-vite preview, which starts it.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures';

const run = promisify(execFile);
const START = path.resolve('bin/start-app.js');

async function start(env: Record<string, string>, args: string[] = [], cwd?: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [START, ...args], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      ...(cwd ? { cwd } : {}),
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('npm start', () => {
  it('without an Electron binary prints one line: what is missing and how to go on', async () => {
    const dir = await tempDir();
    const result = await start({ ELECTRON_EXEC_PATH: path.join(dir, 'no-electron') });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron's binary is not installed/);
    expect(lines[0]).toMatch(/npx electron --version/);
    expect(lines[0]).toMatch(/npm rebuild electron/);
    expect(lines[0]).toMatch(/npx simcvd serve/);
    expect(result.stderr).not.toMatch(/Electron uninstall|at .*\.js:\d+/);
  });

  it('with one, starts it through electron-vite preview on the app folder', async () => {
    const dir = await tempDir();
    const marker = path.join(dir, 'ran');
    const electron = path.join(dir, 'electron');
    await fs.writeFile(electron, `#!/bin/sh\necho "$@" > '${marker}'\n`, { mode: 0o755 });
    // An app folder of its own with a built entry, so the test needs no build of this one
    // (a fresh clone has none) and writes nothing into it; --skipBuild is electron-vite's flag,
    // the build itself is what `npm run build` tests.
    const app = path.join(dir, 'app');
    await fs.mkdir(path.join(app, 'out', 'main'), { recursive: true });
    await fs.writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', type: 'module', main: 'out/main/index.js' }),
    );
    await fs.writeFile(path.join(app, 'out', 'main', 'index.js'), '');
    await fs.writeFile(path.join(app, 'electron.vite.config.mjs'), 'export default {};\n');
    const result = await start({ ELECTRON_EXEC_PATH: electron }, ['--skipBuild'], app);
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.readFile(marker, 'utf8')).trim()).toBe('.');
  });
});
