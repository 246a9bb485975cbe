// The `simcvd` command writing into a pipe its reader closed (`simcvd info p --json | head`):
// the output is dropped, the command finishes with its own exit code, and no EPIPE stack.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { simcvd } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';

it('finishes quietly when the reader of its output has gone', async () => {
  const project = path.join(await tempDir(), 'p');
  expect((await simcvd('init', project)).code).toBe(0);
  const child = spawn(
    process.execPath,
    [path.resolve('bin/simcvd.js'), 'info', project, '--json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The reader closes before the first byte arrives, as `head` does once it has enough.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
  expect(code).toBe(0);
});
