// `simcvd serve` as a child process for the browser tests (Node): starts it on a free port,
// waits for the URL it prints, and stops it with SIGTERM (which releases the project lock).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServedProject {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const RENDERER_DIR = path.resolve('out', 'renderer');

/** Fails with what to run when a file of the build the browser tests need is missing. */
export function requireBuilt(file: string, what = `No ${path.relative('.', file)}`): void {
  if (!existsSync(file))
    throw new Error(`${what}: run "npx electron-vite build" (npm run test:e2e does).`);
}

/**
 * `projectDir` null serves the welcome screen (no project open); settings and recent projects
 * then go to a fresh temporary folder unless `--config-dir` is among `extraArgs`.
 */
export async function serveProject(
  projectDir: string | null,
  extraArgs: string[] = [],
): Promise<ServedProject> {
  requireBuilt(path.join(RENDERER_DIR, 'index.html'), 'No built renderer in out/renderer');
  const child = spawn(
    process.execPath,
    [
      'bin/simcvd.js',
      'serve',
      ...(projectDir ? [projectDir] : []),
      '--port',
      '0',
      // Settings and recent projects stay beside the project, never in the tester's home.
      ...(extraArgs.includes('--config-dir')
        ? []
        : [
            '--config-dir',
            projectDir
              ? path.join(path.dirname(projectDir), 'config')
              : path.join(mkdtempSync(path.join(os.tmpdir(), 'simcvd-e2e-config-')), 'config'),
          ]),
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`simcvd serve exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`simcvd serve did not start: ${output}`)), 60_000);
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
