// Engine processes in the desktop app (Node): the utility-process launcher drives a real engine
// worker that talks through `process.parentPort`, as in Electron — emulated here by forking
// Node with a shim (test/fixtures/electron-parent-port.mjs) — and maps exits and fatal errors.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { UtilityProcess } from 'electron';
import { describe, expect, it } from 'vitest';
import { emulatedUtilityProcess } from '../../test/electron/emulatedUtilityProcess';
import { startTrainerProcess } from '../engine/host/caller/client';
import { resolveTrainingConfig } from '../engine/trainer/config';
import { createUtilityLauncher } from './engineLauncher';

const workerSource = fileURLToPath(new URL('../engine/host/worker/entry.ts', import.meta.url));

describe('createUtilityLauncher', () => {
  it('runs the engine worker through parentPort and returns its typed errors', async () => {
    const handle = startTrainerProcess(
      {
        projectRoot: '/nonexistent/simcvd-project',
        runDir: '/tmp/x',
        config: resolveTrainingConfig('tiny'),
        plan: { labeled: [], unlabeled: [], validation: [], numClasses: 2 },
        resume: false,
      },
      { entry: workerSource, launcher: createUtilityLauncher(emulatedUtilityProcess) },
    );
    const backends: string[] = [];
    handle.events.on('backend', (b) => backends.push(b.name));
    await expect(handle.result).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No project at/),
    });
    // The worker got 'start' through parentPort and answered through it.
    expect(backends).toHaveLength(1);
  });

  it('passes the heap limit, keeps stdout unread, and reports fatal errors with the exit', () => {
    const stderr = new PassThrough();
    const fake = Object.assign(new EventEmitter(), {
      postMessage: (m: unknown) => posted.push(m),
      stderr,
    });
    const posted: unknown[] = [];
    const forks: unknown[] = [];
    const launcher = createUtilityLauncher({
      fork: (...args) => (forks.push(args), fake as unknown as UtilityProcess),
    });
    const engine = launcher('/app/out/main/engineWorker.js', {
      execArgv: ['--max-old-space-size=2048'],
    });
    expect(forks).toEqual([
      [
        '/app/out/main/engineWorker.js',
        [],
        {
          execArgv: ['--max-old-space-size=2048'],
          stdio: ['ignore', 'ignore', 'pipe'],
          serviceName: 'SimCVD engine',
        },
      ],
    ]);
    let text = '';
    engine.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exits: unknown[] = [];
    engine.onExit((code, signal) => exits.push([code, signal]));
    engine.send({ type: 'cancel' });
    fake.emit('error', 'FatalError', 'Reached heap limit Allocation failed', '{}');
    fake.emit('exit', 134);
    engine.send({ type: 'cancel' });
    expect(posted).toEqual([{ type: 'cancel' }]);
    expect(exits).toEqual([[134, null]]);
    expect(text).toMatch(/FatalError: Reached heap limit Allocation failed/);
  });
});
