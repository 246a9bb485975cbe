// Source of a compute-pool worker thread (engine process; run by worker_threads from this string
// with `eval: true`, so no separate file has to be found next to a bundle, in an asar archive
// or under tsx). The worker only waits for jobs and runs them with the shared WebAssembly
// module it is given in workerData; all arithmetic lives in that module (tasks.ts). The caller
// waits for the job's items to be done, not for the workers: one that wakes late finds nothing
// left (or the next job) and costs nothing.
import { DONE_WORD } from './tasks';

/** Word indices of the control block at the start of the shared memory. */
export const CONTROL = {
  /** Job generation: bumped by the caller to post a job. */
  generation: 0,
  /** Workers inside a job now (the caller waits for 0 before it reruns a failed job). */
  active: 1,
  /** Workers of an older epoch than this one exit when they wake (setComputeThreads). */
  epoch: 2,
  /** Byte address of the current job record. */
  job: 3,
  /** Helpers that started (and instantiated the module). */
  ready: 4,
  /** Helpers that failed to start. */
  failed: 5,
  /** 1 + the index of a helper whose job threw (0: none). */
  error: 6,
  /** How long a waiting thread spins before it sleeps, µs. */
  spinMicroseconds: 7,
} as const;

export const CONTROL_WORDS = 16;

/** Worker script: workerData = { memory, module, index, epoch, fault }; `fault` ('start' or
 *  'job') makes it fail there, for the tests of the pool's fallback; 'late' makes it join each
 *  job 5 ms late, as a preempted thread would. */
export const WORKER_SOURCE = `'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const C = ${JSON.stringify(CONTROL)};
const { memory, module, index, epoch, fault } = workerData;
const control = new Int32Array(memory.buffer, 0, ${CONTROL_WORDS});
let runJob;
try {
  if (fault === 'start') throw new Error('injected start fault');
  runJob = new WebAssembly.Instance(module, { env: { memory } }).exports.runJob;
} catch (error) {
  parentPort.postMessage({ failed: String(error && error.message || error) });
  Atomics.add(control, C.failed, 1);
  Atomics.notify(control, C.failed);
}
if (runJob) {
  // Jobs posted from now on: the caller waits for every helper to be ready before posting.
  let seen = Atomics.load(control, C.generation);
  Atomics.add(control, C.ready, 1);
  Atomics.notify(control, C.ready);
  for (;;) {
    const spinUntil = performance.now() + Atomics.load(control, C.spinMicroseconds) / 1000;
    while (Atomics.load(control, C.generation) === seen && performance.now() < spinUntil);
    while (Atomics.load(control, C.generation) === seen) Atomics.wait(control, C.generation, seen);
    seen = Atomics.load(control, C.generation);
    if (Atomics.load(control, C.epoch) !== epoch) break;
    Atomics.add(control, C.active, 1);
    // Re-checked once counted as active: the caller stops workers, then waits for 0 active.
    if (Atomics.load(control, C.epoch) === epoch) {
      const job = Atomics.load(control, C.job);
      try {
        if (fault === 'job') throw new Error('injected job fault');
        if (fault === 'late') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        runJob(job);
      } catch (error) {
        Atomics.store(control, C.error, index + 1);
        Atomics.notify(new Int32Array(memory.buffer, job, ${DONE_WORD} + 1), ${DONE_WORD});
        parentPort.postMessage({ error: String(error && error.message || error) });
      }
    }
    Atomics.sub(control, C.active, 1);
    Atomics.notify(control, C.active);
  }
}
`;
