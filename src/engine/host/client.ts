// Trainer host (engine, caller side: CLI, server, Electron main): starts the trainer process,
// turns its messages into events, cancels it, and reports a crash or out-of-memory of that
// process as a clear error without ever taking the caller down.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors';
import type { TrainingOutcome, TrainingProgress } from '../trainer/loop';
import type { HostMessage, TrainerMessage, TrainingRequest } from './protocol';

export interface TrainingEvents {
  backend: [{ name: string; reason: string }];
  log: [string];
  progress: [TrainingProgress];
}

export interface TrainingHandle {
  events: EventEmitter<TrainingEvents>;
  /** Asks the trainer to stop after the current iteration and keep a checkpoint. */
  cancel(): void;
  /** Resolves with the outcome; rejects with an AppError (CANCELLED, or the trainer's error). */
  result: Promise<TrainingOutcome>;
}

export interface TrainerProcessOptions {
  /** Entry module; default the TypeScript worker run through tsx (dev, CLI, tests). */
  entry?: string;
  /** V8 heap limit of the trainer process in MiB. */
  maxHeapMiB?: number;
}

const DEFAULT_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));

export function startTrainerProcess(
  request: TrainingRequest,
  options: TrainerProcessOptions = {},
): TrainingHandle {
  const entry = options.entry ?? DEFAULT_ENTRY;
  // tsx is resolved from here, not from the caller's working directory.
  const tsLoader = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const execArgv = [...tsLoader, `--max-old-space-size=${options.maxHeapMiB ?? 8192}`];
  const child: ChildProcess = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const events = new EventEmitter<TrainingEvents>();
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const send = (message: HostMessage) => {
    if (child.connected) child.send(message);
  };
  const result = new Promise<TrainingOutcome>((resolve, reject) => {
    let settled = false;
    child.on('message', (raw) => {
      const message = raw as TrainerMessage;
      if (message.type === 'backend')
        events.emit('backend', { name: message.name, reason: message.reason });
      else if (message.type === 'log') events.emit('log', message.message);
      else if (message.type === 'progress') events.emit('progress', message.progress);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.outcome);
      } else if (message.type === 'error') {
        settled = true;
        reject(new AppError(message.error.code, message.error.message));
      }
    });
    child.on('error', (error) => {
      if (!settled)
        reject(new AppError('INTERNAL', `Could not start the trainer process: ${error.message}`));
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      const oom =
        /heap out of memory|Allocation failed|std::bad_alloc/i.test(stderrTail) ||
        signal === 'SIGKILL';
      reject(
        new AppError(
          'INTERNAL',
          oom
            ? 'The trainer ran out of memory. Use a smaller profile or patch size, or lower the memory budget; the last checkpoint is kept.'
            : `The trainer process stopped unexpectedly (exit code ${code ?? 'none'}, signal ${signal ?? 'none'}). ${lastLine(stderrTail)}`.trim(),
        ),
      );
    });
  });
  send({ type: 'start', request });
  return { events, cancel: () => send({ type: 'cancel' }), result };
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
