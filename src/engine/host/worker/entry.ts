// Engine process entry (its own Node process: child_process.fork from the CLI, server and
// tests, utilityProcess in Electron). Runs one job — training, prediction or a speed probe —
// reports the backend, progress and the outcome as messages, answers preview requests between
// two training iterations, and stops cleanly on 'cancel'.
import { toErrorPayload } from '../../../core/errors';
import { ProjectStore } from '../../../core/project';
import { initBackend, type BackendChoice } from '../../backend';
import { setComputeThreads, takeComputePoolDiagnostic } from '../../kernels/cpu';
import { runTraining } from '../../trainer/loop';
import type { TrainerState } from '../../trainer/state';
import { projectSources } from './projectSources';
import { runPrediction } from './predictJob';
import { runProbe } from './probe';
import type { EngineJob, EngineMessage, HostMessage, PreviewRequest } from '../protocol';
import { previewSlice, PreviewStudies } from './trainingPreview';

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
    throw new Error(
      'The engine worker (host/worker/entry.ts) must be started as a child process with an IPC channel',
    );
  return {
    send: (m) => process.send!(m),
    onMessage: (l) => process.on('message', (m) => l(m as HostMessage)),
  };
}

const port = processPort();
const controller = new AbortController();
let started = false;
/** Preview requests wait here until the training loop reaches the next iteration boundary. */
let previews: (PreviewRequest & { requestId: string })[] | null = null;

port.onMessage((message) => {
  if (message.type === 'cancel') controller.abort();
  else if (message.type === 'preview') {
    if (previews) previews.push(message);
    else
      port.send({
        type: 'preview',
        requestId: message.requestId,
        error: { code: 'NOT_FOUND', message: 'This engine process is not training.' },
      });
  } else if (message.type === 'start' && !started) {
    started = true;
    if (message.job.kind === 'train') previews = [];
    void run(message.job, message.backend as BackendChoice, message.threads);
  }
});

async function run(job: EngineJob, backendChoice: BackendChoice, threads: number): Promise<void> {
  try {
    // Training, validation and sliding-window prediction all go through the same kernels.
    setComputeThreads(threads);
    const backend = await initBackend(backendChoice);
    port.send({
      type: 'backend',
      name: backend.name,
      reason: backend.reason,
      ...(backend.adapter ? { adapter: backend.adapter } : {}),
      threads,
    });
    const signal = controller.signal;
    /** Said once, when the pool could not use its threads (it then runs on this one). */
    const poolNote = () => {
      const note = takeComputePoolDiagnostic();
      if (note) port.send({ type: 'log', message: note });
    };
    if (job.kind === 'train') {
      const { request } = job;
      const store = await ProjectStore.open(request.projectRoot, { write: false });
      const studies = new PreviewStudies((id) => store.readImage(id));
      const outcome = await runTraining({
        config: request.config,
        ...projectSources(store, request.plan),
        runDir: request.runDir,
        resume: request.resume,
        warmStartDir: request.warmStartDir,
        signal,
        onProgress: (progress) => {
          poolNote();
          port.send({ type: 'progress', progress });
        },
        onLog: (message) => port.send({ type: 'log', message }),
        betweenIterations: (state) => answerPreviews(state, studies),
      });
      port.send({ type: 'done', outcome });
    } else if (job.kind === 'probe') {
      port.send({ type: 'done', outcome: await runProbe(job.request, signal) });
    } else {
      const outcome = await runPrediction(job.request, {
        signal,
        onProgress: (progress) => {
          poolNote();
          port.send({ type: 'predictProgress', progress });
        },
      });
      port.send({ type: 'done', outcome });
    }
  } catch (error) {
    port.send({ type: 'error', error: toErrorPayload(error) });
  } finally {
    for (const request of previews?.splice(0) ?? [])
      port.send({
        type: 'preview',
        requestId: request.requestId,
        error: { code: 'NOT_FOUND', message: 'Training ended before the preview was computed.' },
      });
    previews = null;
    // Give the IPC channel a moment to flush before exiting.
    setTimeout(() => process.exit(0), 50);
  }
}

async function answerPreviews(state: TrainerState, studies: PreviewStudies): Promise<void> {
  // After a cancel the loop stops at once; pending requests are answered when the job ends.
  while (previews?.length && !controller.signal.aborted) {
    const request = previews.shift()!;
    try {
      const { prepared, imageDims } = await studies.get(request.studyId, state.config);
      const params = request.network === 'student' ? state.student : state.teacher;
      const probability = await previewSlice(params, prepared, imageDims, request.k, state.config);
      port.send({
        type: 'preview',
        requestId: request.requestId,
        preview: {
          studyId: request.studyId,
          k: request.k,
          iteration: state.iteration,
          network: request.network,
          dims: [imageDims[0], imageDims[1]],
          probabilityBase64: Buffer.from(probability).toString('base64'),
        },
      });
    } catch (error) {
      port.send({ type: 'preview', requestId: request.requestId, error: toErrorPayload(error) });
    }
  }
}
