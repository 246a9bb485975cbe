// Electron's utilityProcess.fork emulated with Node (tests): a forked Node child whose engine
// worker sees `process.parentPort` (test/fixtures/electron-parent-port.mjs), wrapped in the
// UtilityProcess events — so the desktop launcher and the worker's Electron path run here.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { UtilityProcess } from 'electron';
import type { UtilityProcessModule } from '../../src/main/engineLauncher';

const shim = fileURLToPath(new URL('../fixtures/electron-parent-port.mjs', import.meta.url));

/** utilityProcess.fork as Electron offers it, made of a Node child process and the shim. */
export const emulatedUtilityProcess: UtilityProcessModule = {
  fork(modulePath, _args, options) {
    const loader = modulePath.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
    const child = fork(modulePath, [], {
      execArgv: [...loader, '--import', shim, ...(options?.execArgv ?? [])],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const utility = Object.assign(new EventEmitter(), {
      postMessage: (message: unknown) => child.send(message as object),
      stderr: child.stderr,
      stdout: null,
      pid: child.pid,
      kill: () => child.kill(),
    });
    child.on('message', (message) => utility.emit('message', message));
    child.on('exit', (code) => utility.emit('exit', code ?? 1));
    return utility as unknown as UtilityProcess;
  },
};
