// Engine host (caller side: CLI, server, Electron main): starts an engine process for one job,
// turns its messages into events, cancels it, and reports a crash or out-of-memory of that
// process as a clear error without ever taking the caller down.
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { defaultComputeThreads } from './threads';
import { AppError } from '../../../core/errors';
import { defaultEngineLauncher, type EngineLauncher } from './launcher';
import type { TrainingOutcome, TrainingProgress } from '../../trainer/loop';
import { previewRequester, type PreviewReply, type RequestPreview } from './previewRequest';
import type {
  EngineJob,
  HostMessage,
  PredictionOutcome,
  PredictionProgress,
  PredictionRequest,
  TrainingRequest,
} from '../protocol';
import type { EngineBackendInfo } from '../../../shared/contract/training';

export interface EngineEvents {
  backend: [EngineBackendInfo];
  log: [string];
  progress: [TrainingProgress];
  predictProgress: [PredictionProgress];
  preview: [PreviewReply];
}

export interface EngineHandle<T> {
  events: EventEmitter<EngineEvents>;
  /** Asks the job to stop at the next safe point (training keeps a checkpoint). */
  cancel(): void;
  /** Resolves with the outcome; rejects with an AppError (CANCELLED, or the job's error). */
  result: Promise<T>;
  /** A training job's live prediction on one axial slice (teacher by default); NOT_FOUND for
   *  other jobs or once it ended, CONFLICT when the trainer does not answer within 60 s. */
  preview: RequestPreview;
}

export type TrainingHandle = EngineHandle<TrainingOutcome>;
export type PredictionHandle = EngineHandle<PredictionOutcome>;

export interface EngineProcessOptions {
  /** Entry module; default the TypeScript worker run through tsx (dev, CLI, tests). */
  entry?: string;
  /** V8 heap limit of the engine process in MiB. */
  maxHeapMiB?: number;
  /** Compute threads of the cpu/wasm kernels (default: the physical cores minus one). */
  threads?: number;
  /** How the process is started; default: the host's (fork, or utilityProcess in Electron). */
  launcher?: EngineLauncher;
}

const DEFAULT_ENTRY = fileURLToPath(new URL('../worker/entry.ts', import.meta.url));

export function startEngineJob<T>(
  job: EngineJob,
  backend: string,
  options: EngineProcessOptions = {},
): EngineHandle<T> {
  const entry = options.entry ?? DEFAULT_ENTRY;
  // tsx is resolved from here, not from the caller's working directory.
  const tsLoader = entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const execArgv = [...tsLoader, `--max-old-space-size=${options.maxHeapMiB ?? 8192}`];
  const child = (options.launcher ?? defaultEngineLauncher())(entry, { execArgv });
  const events = new EventEmitter<EngineEvents>();
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  const send = (message: HostMessage) => child.send(message);
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (!settled) action();
      settled = true;
    };
    child.onMessage((message) => {
      switch (message.type) {
        case 'backend':
          events.emit('backend', {
            name: message.name,
            reason: message.reason,
            ...(message.adapter ? { adapter: message.adapter } : {}),
            threads: message.threads,
          });
          break;
        case 'log':
          events.emit('log', message.message);
          break;
        case 'progress':
          events.emit('progress', message.progress);
          break;
        case 'predictProgress':
          events.emit('predictProgress', message.progress);
          break;
        case 'preview':
          events.emit('preview', message);
          break;
        case 'done':
          settle(() => resolve(message.outcome as T));
          break;
        case 'error':
          settle(() => reject(new AppError(message.error.code, message.error.message)));
          break;
      }
    });
    child.onError((error) =>
      settle(() =>
        reject(new AppError('INTERNAL', `Could not start the engine process: ${error.message}`)),
      ),
    );
    child.onExit((code, signal) =>
      settle(() => {
        const oom =
          /heap out of memory|Allocation failed|std::bad_alloc/i.test(stderrTail) ||
          signal === 'SIGKILL';
        reject(
          new AppError(
            'INTERNAL',
            oom
              ? 'The engine process ran out of memory. Use a smaller profile or patch size, or lower the memory budget; the last checkpoint is kept.'
              : `The engine process stopped unexpectedly (exit code ${code ?? 'none'}, signal ${signal ?? 'none'}). ${lastLine(stderrTail)}`.trim(),
          ),
        );
      }),
    );
  });
  send({ type: 'start', job, backend, threads: options.threads ?? defaultComputeThreads() });
  return {
    events,
    cancel: () => send({ type: 'cancel' }),
    result,
    preview: previewRequester(send, events, result),
  };
}

export function startTrainerProcess(
  request: TrainingRequest,
  options: EngineProcessOptions = {},
): TrainingHandle {
  return startEngineJob<TrainingOutcome>(
    { kind: 'train', request },
    request.config.backend,
    options,
  );
}

export function startPredictionProcess(
  request: PredictionRequest,
  backend: string,
  options: EngineProcessOptions = {},
): PredictionHandle {
  return startEngineJob<PredictionOutcome>({ kind: 'predict', request }, backend, options);
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
