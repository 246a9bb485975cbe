// The compute pool's memory (engine process, main thread): the one shared WebAssembly.Memory
// with the caller's kernel instance, and the arena — a bump allocator over that memory,
// released in stack order — where the kernels place a job's operands and results.
import { MAXIMUM_PAGES } from './gemmKernel';
import { pool, SPIN_MICROSECONDS, type Kernels, type Shared } from './poolState';
import { computeModuleBytes } from './tasks';
import { wasmRuntime } from './wasmEmitter';
import { CONTROL, CONTROL_WORDS } from './workerSource';

const PAGE_BYTES = 65536;

/** The shared memory and the caller's instance, or null where WebAssembly threads or SIMD are
 *  missing (then the conv kernels keep their plain path). */
export function computeShared(): Shared | null {
  if (pool.shared !== undefined) return pool.shared;
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
    pool.shared = { memory, module, kernels, control };
  } catch (error) {
    pool.shared = null;
    pool.pendingDiagnostic ??=
      `Compute threads: WebAssembly shared memory or SIMD is unavailable ` +
      `(${(error as Error).message}); the conv kernels use their plain JavaScript path.`;
  }
  return pool.shared;
}

/** Byte address of `floats` float32 values, 64-byte aligned; grows the memory as needed. */
export function arenaAlloc(floats: number): number {
  const { memory } = computeShared()!;
  const at = (pool.top + 63) & ~63;
  const end = at + floats * 4;
  const have = memory.buffer.byteLength;
  if (end > have) {
    // At least double, so that a growing model does not grow the memory at every conv.
    const pages = Math.ceil(Math.max(end - have, have) / PAGE_BYTES);
    memory.grow(Math.min(pages, MAXIMUM_PAGES - have / PAGE_BYTES));
  }
  pool.top = end;
  return at;
}

export function arenaMark(): number {
  return pool.top;
}

export function arenaRelease(mark: number): void {
  pool.top = mark;
}

/** A float32 view of arena memory (valid until the memory is released, across growth). */
export function arenaView(address: number, floats: number): Float32Array {
  return new Float32Array(computeShared()!.memory.buffer, address, floats);
}
