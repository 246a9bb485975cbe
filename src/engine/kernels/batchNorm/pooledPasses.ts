// BatchNorm's passes over the activations on the compute pool (engine process, main thread):
// the float64 channel sums and the affine map of fusedBatchNorm.ts, run as kernels/cpu pool jobs
// (kernels/cpu/batchNormKernel.ts) over the arena. Rows are summed in fixed blocks whose partial sums are
// added in block order, so the statistics do not depend on the thread count; a tensor larger
// than one chunk is copied into the arena a chunk at a time for each pass.
import { arenaAlloc, arenaMark, arenaRelease, arenaView, computeShared, runJob } from '../cpu/pool';
import type { ChannelJob } from '../cpu/tasks';

/** out = a·u + b·(x − mean) + e per channel, with u = dy or (forward, a = 0) u = x. */
export interface Coefficients {
  a: Float64Array;
  b: Float64Array;
  e: Float64Array;
}

/** The passes of a BatchNorm over x [rows, c] (and dy, for the gradient). */
export interface ChannelPasses {
  /** Σ x per channel (centre null), or Σ (x − centre)². */
  sums(centre: Float64Array | null): Float64Array;
  /** Σ dy and Σ dy·(x − mean) per channel. */
  gradientSums(mean: Float64Array): { sumDy: Float64Array; sumDyX: Float64Array };
  affine(mean: Float64Array, coefficients: Coefficients, withDy: boolean): Float32Array;
  /** Frees the arena memory; the passes must not be used afterwards. */
  release(): void;
}

/** Rows per work item (and per partial sum): fixed, so the sums never depend on the threads. */
const BLOCK_ROWS = 1024;
/** Largest slice of x (and of dy, and of the output) in the arena at a time, floats. */
const CHUNK_FLOATS = 1 << 22;
let chunkFloats = CHUNK_FLOATS;

/** Tests: a smaller arena slice, to run the chunked passes on small tensors (undefined: reset). */
export function setBatchNormChunkFloatsForTesting(floats: number | undefined): void {
  chunkFloats = floats ?? CHUNK_FLOATS;
}

/** The pool's passes over x (and dy), or null when the pool is unavailable or c is odd. */
export function pooledChannelPasses(
  x: Float32Array,
  c: number,
  dy?: Float32Array,
): ChannelPasses | null {
  if (c % 2 !== 0 || computeShared() === null) return null;
  const rows = x.length / c;
  const chunkRows = Math.max(BLOCK_ROWS, Math.floor(chunkFloats / c / BLOCK_ROWS) * BLOCK_ROWS);
  const slice = Math.min(rows, chunkRows) * c;
  const mark = arenaMark();
  const xAt = arenaAlloc(slice);
  const dyAt = dy ? arenaAlloc(slice) : 0;
  const outAt = arenaAlloc(slice);
  // float64: 2 floats each; the gradient sums keep 2c values per block.
  const partialsAt = arenaAlloc(2 * Math.ceil(chunkRows / BLOCK_ROWS) * 2 * c);
  const vectorsAt = arenaAlloc(2 * 4 * c);
  const vector = (i: number) =>
    new Float64Array(computeShared()!.memory.buffer, vectorsAt + i * 8 * c, c);
  const [meanAt, aAt, bAt, eAt] = [0, 1, 2, 3].map((i) => vectorsAt + i * 8 * c);
  let loaded = -1;
  /** Copies rows [r0, r1) of x (and dy) in, unless they are there already. */
  const load = (r0: number, r1: number) => {
    if (loaded === r0) return;
    arenaView(xAt, (r1 - r0) * c).set(x.subarray(r0 * c, r1 * c));
    if (dy) arenaView(dyAt, (r1 - r0) * c).set(dy.subarray(r0 * c, r1 * c));
    loaded = r0;
  };
  const pass = (
    kind: ChannelJob['kind'],
    useDy: boolean,
    each: (r0: number, r1: number) => void,
  ) => {
    for (let r0 = 0; r0 < rows; r0 += chunkRows) {
      const r1 = Math.min(rows, r0 + chunkRows);
      load(r0, r1);
      runJob({
        ...{ kind, rows: r1 - r0, c, blockRows: BLOCK_ROWS },
        ...{
          x: xAt,
          u: useDy ? dyAt : xAt,
          mean: meanAt,
          out: kind === 'affine' ? outAt : partialsAt,
        },
        ...{ a: aAt, b: bAt, e: eAt },
      });
      each(r0, r1);
    }
  };
  /** Adds the partial sums of the chunk's blocks, in block order, to `totals` (c each). */
  const addPartials = (r0: number, r1: number, totals: Float64Array[]) => {
    const blocks = Math.ceil((r1 - r0) / BLOCK_ROWS);
    const width = totals.length * c;
    const partials = new Float64Array(computeShared()!.memory.buffer, partialsAt, blocks * width);
    for (let block = 0; block < blocks; block++) {
      totals.forEach((total, t) => {
        const base = block * width + t * c;
        for (let j = 0; j < c; j++) total[j] += partials[base + j];
      });
    }
  };
  return {
    sums(centre) {
      const total = new Float64Array(c);
      if (centre) vector(0).set(centre);
      pass(centre ? 'squares' : 'sum', false, (r0, r1) => addPartials(r0, r1, [total]));
      return total;
    },
    gradientSums(mean) {
      const sumDy = new Float64Array(c);
      const sumDyX = new Float64Array(c);
      vector(0).set(mean);
      pass('gradientSums', true, (r0, r1) => addPartials(r0, r1, [sumDy, sumDyX]));
      return { sumDy, sumDyX };
    },
    affine(mean, { a, b, e }, withDy) {
      const out = new Float32Array(x.length);
      vector(0).set(mean);
      vector(1).set(a);
      vector(2).set(b);
      vector(3).set(e);
      pass('affine', withDy, (r0, r1) => out.set(arenaView(outAt, (r1 - r0) * c), r0 * c));
      return out;
    },
    release: () => arenaRelease(mark),
  };
}
