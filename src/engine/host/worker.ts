// Engine process entry (its own Node process: child_process.fork from the CLI, server and
// tests, utilityProcess in Electron). Runs one job — training or prediction — reports the
// backend, progress and the outcome as messages, and stops cleanly on 'cancel'.
import { toErrorPayload } from '../../core/errors';
import { ProjectStore } from '../../core/project';
import { initBackend, type BackendChoice } from '../backend';
import { runTraining } from '../trainer/loop';
import { projectSources } from './plan';
import { runPrediction } from './predictJob';
import type { EngineJob, EngineMessage, HostMessage } from './protocol';

interface Port {
  send(message: EngineMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

type ParentPort = {
  postMessage(m: unknown): void;
  on(e: 'message', l: (e: { data: unknown }) => void): void;
};

/** Node child process or Electron utility process: both deliver messages, differently. */
function processPort(): Port {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
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
    void run(message.job, message.backend as BackendChoice);
  }
});

async function run(job: EngineJob, backendChoice: BackendChoice): Promise<void> {
  try {
    const backend = await initBackend(backendChoice);
    port.send({ type: 'backend', name: backend.name, reason: backend.reason });
    const signal = controller.signal;
    if (job.kind === 'train') {
      const { request } = job;
      const store = await ProjectStore.open(request.projectRoot, { write: false });
      const outcome = await runTraining({
        config: request.config,
        ...projectSources(store, request.plan),
        runDir: request.runDir,
        resume: request.resume,
        signal,
        onProgress: (progress) => port.send({ type: 'progress', progress }),
        onLog: (message) => port.send({ type: 'log', message }),
      });
      port.send({ type: 'done', outcome });
    } else {
      const outcome = await runPrediction(job.request, {
        signal,
        onProgress: (progress) => port.send({ type: 'predictProgress', progress }),
      });
      port.send({ type: 'done', outcome });
    }
  } catch (error) {
    port.send({ type: 'error', error: toErrorPayload(error) });
  } finally {
    // Give the IPC channel a moment to flush before exiting.
    setTimeout(() => process.exit(0), 50);
  }
}
