// Engine processes in the desktop app (Electron main): training and prediction run in an
// Electron utility process (a Node process Chromium manages; the window stays responsive and a
// crash or out-of-memory there never takes the app down). Messages arrive through
// process.parentPort in src/engine/host/worker/entry.ts. utilityProcess is passed in, for tests.
import { PassThrough } from 'node:stream';
import type { UtilityProcess, ForkOptions } from 'electron';
import type { EngineLauncher } from '../engine/host/caller/launcher';
import type { EngineMessage } from '../engine/host/protocol';

export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess;
}

export function createUtilityLauncher(utility: UtilityProcessModule): EngineLauncher {
  return (entry, { execArgv }) => {
    const child = utility.fork(entry, [], {
      execArgv,
      // stdout is not read: piping it unread could fill the pipe and stall the trainer.
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'SimCVD engine',
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    // V8's fatal errors (out of memory among them) come as an 'error' event before 'exit'; they
    // join stderr so the client tells an out-of-memory apart from other crashes, as with fork.
    const stderr = new PassThrough();
    child.stderr?.pipe(stderr);
    child.on('error', (type, location) => stderr.write(`${type}: ${location}\n`));
    return {
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as EngineMessage)),
      // utilityProcess reports no signal; a killed process shows as a non-zero code.
      onExit: (listener) => child.once('exit', (code) => listener(code, null)),
      // A module that cannot start exits with its reason on stderr: onExit reports it.
      onError: () => undefined,
      stderr,
    };
  };
}
