// The engine's compute pool (engine process, main thread): worker_threads over one shared
// WebAssembly.Memory (the arena) that run the WebAssembly SIMD work of the 'cpu' and 'wasm'
// conv and BatchNorm kernels: products, channel sums, the affine pass.
//
// API (what a caller configures, also exported by ./index.ts; the kernels use the rest):
//   setComputeThreads(n)        threads for that work, the caller's own included: 1 (the
//                               default) runs it in place, without workers; a sensible setting
//                               is os.availableParallelism() (every core). A whole number from
//                               1 to 256, else RangeError. Takes effect at the next job: workers
//                               start lazily then (~40 ms), and stop when n changes.
//   computeThreads()            the count last set.
//   activeComputeThreads()      1 + the workers running now (1 before the first job that
//                               needs them, and after a fallback).
//   takeComputePoolDiagnostic() a sentence, once, when workers could not start or failed (the
//                               pool then runs on the calling thread; nothing throws for that
//                               reason) or WebAssembly threads are missing (the kernels then use
//                               their JavaScript paths); undefined otherwise. Log it.
//   closeComputePool()          stops the workers and frees the arena. Optional: the workers
//                               are unref'd, so a process may simply exit with them idle.
// Results never depend on the thread count (see tasks.ts): training is reproducible across
// machines with different core counts.
//
// A job is synchronous, as a TF.js kernel must be: the caller posts it, runs its own share of
// the work items, then spins briefly and Atomics.wait()s for the helpers (allowed on Node's main
// thread and in the engine's forked or utility process).
import { Worker } from 'node:worker_threads';
import { MAXIMUM_PAGES } from './gemmKernel';
import {
  computeModuleBytes,
  DONE_WORD,
  JOB_TAGS,
  jobItems,
  jobMultiplyAdds,
  rewindJob,
  writeJob,
  type PoolJob,
} from './tasks';
import { wasmRuntime, type WasmMemory, type WasmModule } from './wasmEmitter';
import { CONTROL, CONTROL_WORDS, WORKER_SOURCE } from './workerSource';

const PAGE_BYTES = 65536;
const JOB_AT = CONTROL_WORDS * 4;
/** Control block, then one job record, then the arena. */
const ARENA_START = 4096;
/** Below this many multiply-adds (~10 µs) a job runs on the caller alone. */
const SOLO_MULTIPLY_ADDS = 100_000;
let soloMultiplyAdds = SOLO_MULTIPLY_ADDS;
const SPIN_MICROSECONDS = 20;
const START_TIMEOUT_MS = 10_000;
/** A helper that has not finished this long after the caller's share is presumed lost. */
const STALL_TIMEOUT_MS = 30_000;
const MAX_THREADS = 256;

interface Kernels {
  gemm(...args: number[]): void;
  runJob(job: number): number;
}

interface Shared {
  memory: WasmMemory;
  module: WasmModule;
  kernels: Kernels;
  control: Int32Array;
}

let requestedThreads = 1;
let shared: Shared | null | undefined;
let workers: Worker[] = [];
/** Why the pool runs in place despite requestedThreads > 1; cleared by setComputeThreads. */
let brokenReason: string | undefined;
let pendingDiagnostic: string | undefined;
let busy = false;
let faultForTesting: 'start' | 'job' | 'late' | undefined;
let top = ARENA_START;
let jobTag = 0;
/** Jobs to run on the caller alone before the workers are tried again (adaptToLoad). */
let soloJobsLeft = 0;
let soloBackoff = 0;
const MAX_SOLO_JOBS = 256;

export interface ComputePoolStats {
  jobs: number;
  /** Jobs that woke the workers. */
  pooledJobs: number;
  /** Time in the caller's own share, and waiting for helpers after it, ms. */
  ownMs: number;
  waitMs: number;
  /** Times the workers were left out for a while because they were slow (a busy machine). */
  backoffs: number;
}

export const computePoolStats: ComputePoolStats = {
  ...{ jobs: 0, pooledJobs: 0, ownMs: 0, waitMs: 0, backoffs: 0 },
};

function reportOnce(reason: string): void {
  brokenReason = reason;
  pendingDiagnostic ??= `Compute threads: ${reason}; running on one thread instead.`;
}

export function setComputeThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(
      `Compute threads must be a whole number from 1 to ${MAX_THREADS}, got ${n}.`,
    );
  }
  if (n === requestedThreads) return;
  requestedThreads = n;
  brokenReason = undefined;
  soloJobsLeft = 0;
  soloBackoff = 0;
  stopWorkers();
}

export function computeThreads(): number {
  return requestedThreads;
}

export function takeComputePoolDiagnostic(): string | undefined {
  const message = pendingDiagnostic;
  pendingDiagnostic = undefined;
  return message;
}

/** Tests of the fallback: workers started from now on fail at start-up or in their first job,
 *  or join every job 5 ms late. */
export function injectWorkerFaultForTesting(fault: 'start' | 'job' | 'late' | undefined): void {
  faultForTesting = fault;
  brokenReason = undefined;
  stopWorkers();
}

/** Tests on tiny shapes: wake the workers for every job of ≥ 2 items (true) or not (false). */
export function poolEveryJobForTesting(every: boolean): void {
  soloMultiplyAdds = every ? 0 : SOLO_MULTIPLY_ADDS;
}

/** Threads that actually run jobs now (1 while in place or fallen back). */
export function activeComputeThreads(): number {
  return workers.length + 1;
}

export async function closeComputePool(): Promise<void> {
  if (busy) throw new Error('The compute pool cannot close during a job.');
  const stopping = workers;
  stopWorkers();
  shared = undefined;
  top = ARENA_START;
  await Promise.all(stopping.map((w) => w.terminate()));
}

/** The shared memory and the caller's instance, or null where WebAssembly threads or SIMD are
 *  missing (then the conv kernels keep their plain path). */
export function computeShared(): Shared | null {
  if (shared !== undefined) return shared;
  try {
    const memory = new wasmRuntime.Memory({
      initial: 64,
      maximum: MAXIMUM_PAGES,
      shared: true,
    });
    const module = new wasmRuntime.Module(computeModuleBytes());
    const kernels = new wasmRuntime.Instance(module, { env: { memory } })
      .exports as unknown as Kernels;
    const control = new Int32Array(memory.buffer, 0, CONTROL_WORDS);
    control[CONTROL.spinMicroseconds] = SPIN_MICROSECONDS;
    shared = { memory, module, kernels, control };
  } catch (error) {
    shared = null;
    pendingDiagnostic ??=
      `Compute threads: WebAssembly shared memory or SIMD is unavailable ` +
      `(${(error as Error).message}); the conv kernels use their plain JavaScript path.`;
  }
  return shared;
}

// ---- the arena: a bump allocator over the shared memory, released in stack order ----

/** Byte address of `floats` float32 values, 64-byte aligned; grows the memory as needed. */
export function arenaAlloc(floats: number): number {
  const { memory } = computeShared()!;
  const at = (top + 63) & ~63;
  const end = at + floats * 4;
  const have = memory.buffer.byteLength;
  if (end > have) {
    // At least double, so that a growing model does not grow the memory at every conv.
    const pages = Math.ceil(Math.max(end - have, have) / PAGE_BYTES);
    memory.grow(Math.min(pages, MAXIMUM_PAGES - have / PAGE_BYTES));
  }
  top = end;
  return at;
}

export function arenaMark(): number {
  return top;
}

export function arenaRelease(mark: number): void {
  top = mark;
}

/** A float32 view of arena memory (valid until the memory is released, across growth). */
export function arenaView(address: number, floats: number): Float32Array {
  return new Float32Array(computeShared()!.memory.buffer, address, floats);
}

// ---- workers ----

function stopWorkers(): void {
  if (workers.length === 0 || !shared) return;
  const { control } = shared;
  Atomics.add(control, CONTROL.epoch, 1);
  Atomics.add(control, CONTROL.generation, 1);
  Atomics.notify(control, CONTROL.generation);
  workers = [];
}

function onWorkerTrouble(worker: Worker, what: string): void {
  if (!workers.includes(worker)) return;
  reportOnce(what);
  const stopping = workers;
  stopWorkers();
  stopping.forEach((w) => void w.terminate());
}

/** Starts requestedThreads − 1 workers and waits until they run; false (with a diagnostic)
 *  when any fails to start. */
function startWorkers(s: Shared): boolean {
  const helpers = requestedThreads - 1;
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
        workerData: { memory: s.memory, module: s.module, index, epoch, fault: faultForTesting },
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
  workers = started;
  return true;
}

/** Helpers for the next job: 0 when running in place. */
function helpersFor(s: Shared, job: PoolJob): number {
  if (requestedThreads === 1 || brokenReason !== undefined) return 0;
  if (jobMultiplyAdds(job) < soloMultiplyAdds || jobItems(job) < 2) return 0;
  if (soloJobsLeft > 0 && soloMultiplyAdds > 0) {
    soloJobsLeft--;
    return 0;
  }
  if (workers.length === 0 && !startWorkers(s)) return 0;
  return workers.length;
}

/**
 * Back-off on a busy machine: when the workers took few of a job's items (they woke late) or
 * the caller waited for them longer than it worked (one was preempted mid-item), the next jobs
 * run on the caller alone, for twice as many jobs each time it happens again; a job the workers
 * helped with halves the back-off. Results do not depend on it (tasks.ts).
 */
function adaptToLoad(ownShare: number, ownMs: number, waitMs: number): void {
  const helperShare = 1 - ownShare;
  const expected = 1 - 1 / (workers.length + 1);
  if (helperShare < expected / 4 || waitMs > ownMs + 0.05) {
    soloBackoff = Math.min(MAX_SOLO_JOBS, Math.max(4, 2 * soloBackoff));
    soloJobsLeft = soloBackoff;
    computePoolStats.backoffs++;
  } else {
    soloBackoff = Math.floor(soloBackoff / 2);
  }
}

/** Waits until every item of the job at JOB_AT is done (true), or a worker reported an error
 *  (true: the caller checks), or nothing finished for the stall timeout (false). */
function waitForItems(s: Shared, items: number, ownMs: number): boolean {
  const record = new Int32Array(s.memory.buffer, JOB_AT, DONE_WORD + 1);
  const failed = () => Atomics.load(s.control, CONTROL.error) !== 0;
  const spinUntil = performance.now() + SPIN_MICROSECONDS / 1000;
  while (Atomics.load(record, DONE_WORD) < items && !failed() && performance.now() < spinUntil);
  let deadline = performance.now() + STALL_TIMEOUT_MS + 100 * ownMs;
  let last = -1;
  for (;;) {
    const done = Atomics.load(record, DONE_WORD);
    if (done >= items || failed()) return true;
    const now = performance.now();
    if (done !== last) deadline = Math.max(deadline, now + STALL_TIMEOUT_MS);
    else if (now > deadline) return false;
    last = done;
    Atomics.wait(record, DONE_WORD, done, 1000);
  }
}

/** Stops the workers and waits (briefly) until none is inside a job any more. */
function stopAndDrain(s: Shared): void {
  const stopping = workers;
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
function checkWorkerError(s: Shared): void {
  const failedHelper = Atomics.load(s.control, CONTROL.error);
  if (failedHelper === 0 || workers.length === 0) return;
  stopAndDrain(s);
  reportOnce(`worker ${failedHelper} failed during a job`);
}

/** Runs `job` to completion on the pool (or in place); synchronous. */
export function runJob(job: PoolJob): void {
  const s = computeShared();
  if (!s) throw new Error('The compute pool is unavailable; check computeShared() first.');
  if (busy) throw new Error('The compute pool is not re-entrant.');
  busy = true;
  try {
    checkWorkerError(s);
    jobTag = (jobTag + 1) % JOB_TAGS;
    writeJob(s.memory, JOB_AT, job, jobTag);
    const helpers = helpersFor(s, job);
    computePoolStats.jobs++;
    const t0 = performance.now();
    if (helpers === 0) {
      s.kernels.runJob(JOB_AT);
      computePoolStats.ownMs += performance.now() - t0;
      // A worker that woke late for an earlier job may have claimed items of this one (same
      // record, valid tag): its C rows are ours only once it has counted them done.
      if (workers.length > 0) settle(s, waitForItems(s, jobItems(job), 0));
      return;
    }
    computePoolStats.pooledJobs++;
    const { control } = s;
    Atomics.store(control, CONTROL.error, 0);
    Atomics.store(control, CONTROL.job, JOB_AT);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    let ownItems: number;
    try {
      ownItems = s.kernels.runJob(JOB_AT);
    } catch (error) {
      // A fault in our own share: the workers may still be on other items of this job.
      stopAndDrain(s);
      throw error;
    }
    const t1 = performance.now();
    const items = jobItems(job);
    const finished = waitForItems(s, items, t1 - t0);
    const t2 = performance.now();
    computePoolStats.ownMs += t1 - t0;
    computePoolStats.waitMs += t2 - t1;
    adaptToLoad(ownItems / items, t1 - t0, t2 - t1);
    settle(s, finished);
  } finally {
    busy = false;
  }
}

/** After the items are counted done (finished) or the wait gave up: when a worker failed or
 *  stalled, runs the whole job again on the caller. Every item rewrites its C rows, so that is
 *  safe once no worker is on it any more. */
function settle(s: Shared, finished: boolean): void {
  const failedHelper = Atomics.load(s.control, CONTROL.error);
  if (finished && failedHelper === 0) return;
  stopAndDrain(s);
  reportOnce(
    finished ? `worker ${failedHelper} failed during a job` : 'a worker stopped responding',
  );
  rewindJob(s.memory, JOB_AT);
  s.kernels.runJob(JOB_AT);
}
