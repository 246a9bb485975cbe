// The compute pool's workers (engine process, main thread): starting requestedThreads − 1
// worker_threads on the shared memory and waiting until they run, stopping them (a new epoch
// they notice), draining those still inside a job, and falling back to the calling thread when
// one fails. Job dispatch (jobDispatch.ts) decides when to start them.
import { Worker } from 'node:worker_threads';
import { pool, reportOnce, type Shared } from './poolState';
import { CONTROL, WORKER_SOURCE } from './workerSource';

const START_TIMEOUT_MS = 10_000;

export function stopWorkers(): void {
  if (pool.workers.length === 0 || !pool.shared) return;
  const { control } = pool.shared;
  Atomics.add(control, CONTROL.epoch, 1);
  Atomics.add(control, CONTROL.generation, 1);
  Atomics.notify(control, CONTROL.generation);
  pool.workers = [];
}

function onWorkerTrouble(worker: Worker, what: string): void {
  if (!pool.workers.includes(worker)) return;
  reportOnce(what);
  const stopping = pool.workers;
  stopWorkers();
  stopping.forEach((w) => void w.terminate());
}

/** Starts requestedThreads − 1 workers and waits until they run; false (with a diagnostic)
 *  when any fails to start. */
export function startWorkers(s: Shared): boolean {
  const helpers = pool.requestedThreads - 1;
  const { control } = s;
  Atomics.store(control, CONTROL.ready, 0);
  Atomics.store(control, CONTROL.failed, 0);
  const epoch = Atomics.load(control, CONTROL.epoch);
  const started: Worker[] = [];
  try {
    for (let index = 1; index <= helpers; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // Not the parent's loader flags (tsx): its hooks would wait on this blocked thread.
        execArgv: [],
        workerData: {
          memory: s.memory,
          module: s.module,
          index,
          epoch,
          fault: pool.faultForTesting,
        },
      });
      worker.on('error', (error) => onWorkerTrouble(worker, `a worker failed (${error.message})`));
      worker.on('exit', (code) => onWorkerTrouble(worker, `a worker exited (code ${code})`));
      worker.on('message', (m: { error?: string; failed?: string }) => {
        if (m.error) onWorkerTrouble(worker, `a worker's job failed (${m.error})`);
      });
      // After the listeners, which would otherwise hold the event loop open again.
      worker.unref();
      started.push(worker);
    }
  } catch (error) {
    started.forEach((w) => void w.terminate());
    reportOnce(`the workers could not be created (${(error as Error).message})`);
    return false;
  }
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    const ready = Atomics.load(control, CONTROL.ready);
    const failed = Atomics.load(control, CONTROL.failed);
    if (failed > 0 || ready + failed >= helpers || performance.now() > deadline) {
      if (ready === helpers) break;
      started.forEach((w) => void w.terminate());
      reportOnce(
        failed > 0
          ? `${failed} of ${helpers} workers could not load the kernels`
          : `the workers did not start within ${START_TIMEOUT_MS / 1000} s`,
      );
      return false;
    }
    Atomics.wait(control, CONTROL.ready, ready, 50);
  }
  pool.workers = started;
  return true;
}

/** Stops the workers and waits (briefly) until none is inside a job any more. */
export function stopAndDrain(s: Shared): void {
  const stopping = pool.workers;
  stopWorkers();
  const deadline = performance.now() + 2000;
  for (;;) {
    const active = Atomics.load(s.control, CONTROL.active);
    if (active === 0) break;
    if (performance.now() > deadline) {
      stopping.forEach((w) => void w.terminate());
      break;
    }
    Atomics.wait(s.control, CONTROL.active, active, 50);
  }
}

/** A worker error noticed since the last job (a late worker may fail after the job it woke for
 *  was finished without it): fall back before posting the next. */
export function checkWorkerError(s: Shared): void {
  const failedHelper = Atomics.load(s.control, CONTROL.error);
  if (failedHelper === 0 || pool.workers.length === 0) return;
  stopAndDrain(s);
  reportOnce(`worker ${failedHelper} failed during a job`);
}
