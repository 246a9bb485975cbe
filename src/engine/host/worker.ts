// Trainer process entry (engine, its own Node process: child_process.fork from the CLI and
// tests, utilityProcess in Electron). Receives one TrainingRequest, reports backend, progress
// and the outcome as messages, and stops cleanly (checkpoint kept) on 'cancel'.
import { toErrorPayload } from '../../core/errors';
import { ProjectStore } from '../../core/project';
import { initBackend } from '../backend';
import { runTraining } from '../trainer/loop';
import { projectSources } from './plan';
import type { HostMessage, TrainerMessage, TrainingRequest } from './protocol';

interface Port {
  send(message: TrainerMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

/** Node child process or Electron utility process: both deliver messages this way. */
function processPort(): Port {
  const parentPort = (
    process as unknown as {
      parentPort?: {
        postMessage(m: unknown): void;
        on(e: 'message', l: (e: { data: unknown }) => void): void;
      };
    }
  ).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as HostMessage)),
    };
  }
  if (!process.send)
    throw new Error('worker.ts must be started as a child process with an IPC channel');
  return {
    send: (m) => process.send!(m),
    onMessage: (l) => process.on('message', (m) => l(m as HostMessage)),
  };
}

const port = processPort();
const controller = new AbortController();
let started = false;

port.onMessage((message) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'start' && !started) {
    started = true;
    void run(message.request);
  }
});

async function run(request: TrainingRequest): Promise<void> {
  try {
    const backend = await initBackend(request.config.backend);
    port.send({ type: 'backend', name: backend.name, reason: backend.reason });
    const store = await ProjectStore.open(request.projectRoot, { write: false });
    const sources = projectSources(store, request.plan);
    const outcome = await runTraining({
      config: request.config,
      ...sources,
      runDir: request.runDir,
      resume: request.resume,
      signal: controller.signal,
      onProgress: (progress) => port.send({ type: 'progress', progress }),
      onLog: (message) => port.send({ type: 'log', message }),
    });
    port.send({ type: 'done', outcome });
  } catch (error) {
    port.send({ type: 'error', error: toErrorPayload(error) });
  } finally {
    // Give the IPC channel a moment to flush before exiting.
    setTimeout(() => process.exit(0), 50);
  }
}
