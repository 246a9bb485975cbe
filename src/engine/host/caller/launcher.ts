// Engine process launchers (caller side: CLI, server, Electron main): how an engine process is
// started — Node's child_process.fork by default, Electron's utilityProcess in the desktop app
// (src/main supplies that one) — behind one small interface, so the client does not care which.
import { fork } from 'node:child_process';
import type { EngineMessage, HostMessage } from '../protocol';

/** A started engine process, as the client sees it. */
export interface EngineProcess {
  /** Dropped silently once the process has gone (its exit is reported through onExit). */
  send(message: HostMessage): void;
  onMessage(listener: (message: EngineMessage) => void): void;
  /** Once, when the process has ended; `signal` is null where the launcher cannot tell. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The process could not be started (or hit a fatal error before exiting). */
  onError(listener: (error: Error) => void): void;
  /** stderr, kept for the crash message; null when the launcher does not capture it. */
  stderr: NodeJS.ReadableStream | null;
}

export interface LaunchOptions {
  /** Node/V8 flags for the new process: the heap limit, a TypeScript loader in development. */
  execArgv: string[];
}

export type EngineLauncher = (entry: string, options: LaunchOptions) => EngineProcess;

/** child_process.fork with an IPC channel: plain Node (and Electron with ELECTRON_RUN_AS_NODE). */
export const forkLauncher: EngineLauncher = (entry, { execArgv }) => {
  const child = fork(entry, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (raw) => listener(raw as EngineMessage)),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
    onError: (listener) => child.on('error', listener),
    stderr: child.stderr,
  };
};

let processDefault: EngineLauncher = forkLauncher;

/**
 * Sets the launcher for every job that names none. The host process decides this once at
 * startup (Electron main: utilityProcess) — deep layers then need not pass it along.
 */
export function setDefaultEngineLauncher(launcher: EngineLauncher): void {
  processDefault = launcher;
}

export function defaultEngineLauncher(): EngineLauncher {
  return processDefault;
}
