// Running the real `simcvd` command in tests (Node): as a separate process, exactly as a user
// would, with its stdout, stderr and exit code.
import { execFile, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve('bin/simcvd.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Never rejects: a failing command resolves with its non-zero exit code. */
export async function simcvd(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { encoding: 'utf8' });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as CliResult;
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** For setup steps that must succeed: throws (with the command's stderr) when one fails. */
export function simcvdSync(args: string[]): void {
  execFileSync(process.execPath, [BIN, ...args], { stdio: 'pipe' });
}

/**
 * Starts `simcvd args…` with `env` added, without waiting: `exited` resolves with its exit code
 * and output; `paused(step)` once it printed "paused at <step>" (SIMCVD_TEST_PAUSE), and
 * rejects if it exited first. For the kill-and-recover tests.
 */
export function startSimcvd(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  const paused = (step: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stderr.includes(`paused at ${step}`)) resolve();
        else if (child.exitCode !== null) reject(new Error(`exited before ${step}: ${stderr}`));
        else setTimeout(check, 20);
      };
      check();
    });
  return { child, exited, paused, stderr: () => stderr };
}
