// The compute pool's shared state (engine process, main thread): one object that the arena,
// the worker lifecycle and the job dispatch all read and write, so that the split into
// modules changes nothing of who sees what. Plain data and the one diagnostic rule.
import type { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasmEmitter';

/** Control block, then one job record, then the arena. */
export const ARENA_START = 4096;
/** How long the caller spins before it waits, and the workers spin before they sleep. */
export const SPIN_MICROSECONDS = 20;

export interface Kernels {
  gemm(...args: number[]): void;
  runJob(job: number): number;
}

export interface Shared {
  memory: WasmMemory;
  module: WasmModule;
  kernels: Kernels;
  control: Int32Array;
}

export interface PoolState {
  requestedThreads: number;
  /** undefined: not tried yet; null: WebAssembly threads or SIMD are missing. */
  shared: Shared | null | undefined;
  workers: Worker[];
  /** Why the pool runs in place despite requestedThreads > 1; cleared by setComputeThreads. */
  brokenReason: string | undefined;
  pendingDiagnostic: string | undefined;
  /** A job is running (the pool is not re-entrant, and cannot close meanwhile). */
  busy: boolean;
  faultForTesting: 'start' | 'job' | 'late' | undefined;
  /** The arena's next free byte. */
  top: number;
}

export const pool: PoolState = {
  requestedThreads: 1,
  shared: undefined,
  workers: [],
  brokenReason: undefined,
  pendingDiagnostic: undefined,
  busy: false,
  faultForTesting: undefined,
  top: ARENA_START,
};

/** Falls back to the calling thread for `reason`, and keeps the first diagnostic to report. */
export function reportOnce(reason: string): void {
  pool.brokenReason = reason;
  pool.pendingDiagnostic ??= `Compute threads: ${reason}; running on one thread instead.`;
}
