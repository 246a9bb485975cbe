// Running the real `simcvd` command in tests (Node): as a separate process, exactly as a user
// would, with its stdout, stderr and exit code.
import { execFile, execFileSync } from 'node:child_process';
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
