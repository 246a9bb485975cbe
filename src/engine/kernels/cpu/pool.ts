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
//
// Modules: poolState.ts (the state they share), arena.ts (the shared memory and its bump
// allocator), workers.ts (start, stop, drain, fall back), jobDispatch.ts (runJob: post, wait for
// the items, settle, back off under load). This file holds the settings and re-exports the rest,
// so callers import everything from here.
import { ARENA_START, pool } from './poolState';
import { resetLoadBackoff } from './jobDispatch';
import { stopWorkers } from './workers';

export { arenaAlloc, arenaMark, arenaRelease, arenaView, computeShared } from './arena';
export {
  computePoolStats,
  poolEveryJobForTesting,
  runJob,
  type ComputePoolStats,
} from './jobDispatch';

const MAX_THREADS = 256;

export function setComputeThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(
      `Compute threads must be a whole number from 1 to ${MAX_THREADS}, got ${n}.`,
    );
  }
  if (n === pool.requestedThreads) return;
  pool.requestedThreads = n;
  pool.brokenReason = undefined;
  resetLoadBackoff();
  stopWorkers();
}

export function computeThreads(): number {
  return pool.requestedThreads;
}

export function takeComputePoolDiagnostic(): string | undefined {
  const message = pool.pendingDiagnostic;
  pool.pendingDiagnostic = undefined;
  return message;
}

/** Tests of the fallback: workers started from now on fail at start-up or in their first job,
 *  or join every job 5 ms late. */
export function injectWorkerFaultForTesting(fault: 'start' | 'job' | 'late' | undefined): void {
  pool.faultForTesting = fault;
  pool.brokenReason = undefined;
  stopWorkers();
}

/** Threads that actually run jobs now (1 while in place or fallen back). */
export function activeComputeThreads(): number {
  return pool.workers.length + 1;
}

export async function closeComputePool(): Promise<void> {
  if (pool.busy) throw new Error('The compute pool cannot close during a job.');
  const stopping = pool.workers;
  stopWorkers();
  pool.shared = undefined;
  pool.top = ARENA_START;
  await Promise.all(stopping.map((w) => w.terminate()));
}
