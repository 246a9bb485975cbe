// The compute pool's work (engine, wherever TF.js runs): the layout of a job in shared memory
// and runJob, the WebAssembly function every thread (the caller and each worker) runs on it.
//
// A job is a set of work items taken one by one from an atomic counter, so the threads balance
// themselves. Item w is band w % bands of unit ⌊w / bands⌋; it computes, for each tap t,
//   C_t[rows of the band] (+)= A_t · B_t          (gemmKernel.ts, with the job's strides)
// or, with fuseTaps, C[rows of the band] (+)= Σ_t A_t · B_t in one pass, where the unit moves
// A, B and C by fixed strides (an output plane of a conv, say). Items write
// disjoint parts of C, and what an item computes depends only on the job, never on which thread
// runs it or how many there are: results are the same for any thread count. A tap whose `acc`
// is 0 overwrites its C rows, so a job whose first tap per C block has acc 0 can be run again
// from scratch (the pool does when a worker fails mid-job).
import {
  addChannelKernels,
  CHANNEL_WORDS,
  KIND_AFFINE,
  KIND_GRADIENT_SUMS,
  KIND_SQUARES,
  KIND_SUM,
} from './batchNormKernel';
import { addGemm, MAXIMUM_PAGES } from './gemmKernel';
import { FunctionBuilder, I32, ModuleBuilder, type WasmMemory } from './wasmEmitter';

/** A product term of a job: byte addresses of A, B and C for unit 0, band 0. */
export interface Tap {
  a: number;
  b: number;
  c: number;
  accumulate: boolean;
}

/** Shape and byte strides shared by a job's taps (see gemmKernel.ts for sI, sP, sB, sC). */
export interface GemmJob {
  /** Units (e.g. output planes); unit u adds u·unitA, u·unitB, u·unitC to the addresses. */
  units: number;
  unitA: number;
  unitB: number;
  unitC: number;
  /** C rows per unit, split into bands of bandRows rows. */
  m: number;
  bandRows: number;
  k: number;
  n: number;
  sI: number;
  sP: number;
  sB: number;
  sC: number;
  taps: readonly Tap[];
  /** Sum all taps into the first tap's C in one pass (its `accumulate` applies), instead of
   *  one product per tap into its own C. */
  fuseTaps?: boolean;
}

/** A BatchNorm pass over a channels-last [rows, c] float32 matrix (batchNormKernel.ts): byte
 *  addresses of x, u (dy), the float64 arrays mean, a, b, e [c] and the output (float64 partial
 *  sums per block of blockRows rows, or float32 values for the affine pass). */
export interface ChannelJob {
  kind: 'sum' | 'squares' | 'gradientSums' | 'affine';
  rows: number;
  c: number;
  blockRows: number;
  x: number;
  u: number;
  mean: number;
  out: number;
  a: number;
  b: number;
  e: number;
}

export type PoolJob = GemmJob | ChannelJob;

const CHANNEL_KINDS = {
  sum: KIND_SUM,
  squares: KIND_SQUARES,
  gradientSums: KIND_GRADIENT_SUMS,
  affine: KIND_AFFINE,
} as const;

const isChannelJob = (job: PoolJob): job is ChannelJob => 'kind' in job;

// Word offsets in a gemm job record.
const NEXT = 0;
const ITEMS = 1;
const BANDS = 2;
const BAND_ROWS = 3;
const M = 4;
const K = 5;
const N = 6;
const S_I = 7;
const S_P = 8;
const S_B = 9;
const S_C = 10;
const UNIT_A = 11;
const UNIT_B = 12;
const UNIT_C = 13;
const TAP_COUNT = 14;
const KIND = 15;
const FUSE = 16;
/** Items finished; the thread that finishes the last one notifies (Atomics.wait on it). */
const DONE = 17;
const TAPS = 20;
const KIND_GEMM = 0;
const TAP_WORDS = 4;

export const MAX_TAPS = 64;
/** Bytes of one job record. */
export const JOB_BYTES = (TAPS + MAX_TAPS * TAP_WORDS) * 4;

/** Work items of a job: what the caller compares with the thread count. */
export function jobItems(job: PoolJob): number {
  if (isChannelJob(job)) return Math.ceil(job.rows / job.blockRows);
  return job.units * Math.ceil(job.m / job.bandRows);
}

/** Multiply-adds of a job (values, for a channel pass), to decide whether waking workers is
 *  worth it. */
export function jobMultiplyAdds(job: PoolJob): number {
  if (isChannelJob(job)) return job.rows * job.c;
  return job.units * job.m * job.k * job.n * job.taps.length;
}

function writeChannelJob(words: Int32Array, job: ChannelJob): void {
  if (job.c % 2 !== 0) throw new Error(`Channel passes need an even channel count, got ${job.c}.`);
  words[KIND] = CHANNEL_KINDS[job.kind];
  for (const [name, offset] of Object.entries(CHANNEL_WORDS)) {
    words[offset] = job[name as keyof typeof CHANNEL_WORDS];
  }
}

/** The counter and the item count carry the job's tag in their top TAG_BITS bits: a claim is
 *  valid only when both tags agree, i.e. when it was taken from this job's opened counter. */
const INDEX_BITS = 20;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
/** Tags wrap after this many jobs. */
export const JOB_TAGS = 1 << (32 - INDEX_BITS - 1);

/** Index of the done counter in the record's words: callers wait on it. */
export const DONE_WORD = DONE;

/**
 * Writes `job`, tagged `tag` (< JOB_TAGS, a new one per job), at byte address `at` (a 4-byte
 * aligned JOB_BYTES region). A worker that wakes late may still try to claim an item of the
 * previous job while this one is written: its claim then carries the old tag, or an index past
 * the old count, and is refused; the counter opens with the new tag only after everything else.
 */
export function writeJob(memory: WasmMemory, at: number, job: PoolJob, tag: number): void {
  const words = new Int32Array(memory.buffer, at, JOB_BYTES / 4);
  const items = jobItems(job);
  if (items > INDEX_MASK) throw new Error(`A pool job takes at most ${INDEX_MASK} items.`);
  if (isChannelJob(job)) writeChannelJob(words, job);
  else writeGemmJob(words, job);
  Atomics.store(words, DONE, 0);
  Atomics.store(words, ITEMS, (tag << INDEX_BITS) | items);
  Atomics.store(words, NEXT, tag << INDEX_BITS);
}

function writeGemmJob(words: Int32Array, job: GemmJob): void {
  if (job.taps.length < 1 || job.taps.length > MAX_TAPS) {
    throw new Error(`A pool job takes 1 to ${MAX_TAPS} taps, got ${job.taps.length}.`);
  }
  const bands = Math.ceil(job.m / job.bandRows);
  words[BANDS] = bands;
  words[BAND_ROWS] = job.bandRows;
  words[M] = job.m;
  words[K] = job.k;
  words[N] = job.n;
  words[S_I] = job.sI;
  words[S_P] = job.sP;
  words[S_B] = job.sB;
  words[S_C] = job.sC;
  words[UNIT_A] = job.unitA;
  words[UNIT_B] = job.unitB;
  words[UNIT_C] = job.unitC;
  words[TAP_COUNT] = job.taps.length;
  words[KIND] = KIND_GEMM;
  words[FUSE] = job.fuseTaps ? 1 : 0;
  job.taps.forEach((tap, t) => {
    const w = TAPS + t * TAP_WORDS;
    words[w] = tap.a;
    words[w + 1] = tap.b;
    words[w + 2] = tap.c;
    words[w + 3] = tap.accumulate ? 1 : 0;
  });
}

/** Resets a job's item counter so that it can be run again from scratch. */
export function rewindJob(memory: WasmMemory, at: number): void {
  const words = new Int32Array(memory.buffer, at, JOB_BYTES / 4);
  Atomics.store(words, DONE, 0);
  Atomics.store(words, NEXT, Atomics.load(words, ITEMS) & ~INDEX_MASK);
}

/** gemmItem(job, item): the taps of one band of one unit. */
function gemmItemFunction(gemmIndex: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32]);
  const [job, item] = [0, 1];
  const [unit, r0, rows, aBase, bBase, cBase, tap, tapEnd] = Array.from({ length: 8 }, () =>
    f.local(I32),
  );
  const word = (offset: number) => f.get(job).mem('i32Load', offset * 4);
  f.get(item);
  word(BANDS).op('i32DivU').set(unit);
  // r0 = (item − unit·bands)·bandRows; rows = min(bandRows, m − r0)
  f.get(item).get(unit);
  word(BANDS).op('i32Mul').op('i32Sub');
  word(BAND_ROWS).op('i32Mul').set(r0);
  word(M).get(r0).op('i32Sub').set(rows);
  f.get(rows);
  word(BAND_ROWS).get(rows);
  word(BAND_ROWS).op('i32LtU').op('select').set(rows);
  f.get(unit);
  word(UNIT_A).op('i32Mul').get(r0);
  word(S_I).op('i32Mul').op('i32Add').set(aBase);
  f.get(unit);
  word(UNIT_B).op('i32Mul').set(bBase);
  f.get(unit);
  word(UNIT_C).op('i32Mul').get(r0);
  word(S_C).op('i32Mul').op('i32Add').set(cBase);
  f.get(job)
    .i32(TAPS * 4)
    .op('i32Add')
    .set(tap);
  /** gemm(table, taps, aShift, sI, sP, bShift, sB, c, sC, k, acc, m, n) for `count` taps. */
  const call = (count: () => void) => {
    f.get(tap);
    count();
    f.get(aBase);
    word(S_I);
    word(S_P);
    f.get(bBase);
    word(S_B);
    f.get(tap).mem('i32Load', 8).get(cBase).op('i32Add');
    word(S_C);
    word(K);
    f.get(tap).mem('i32Load', 12).get(rows);
    word(N);
    f.call(gemmIndex);
  };
  word(FUSE).ifThen(
    () => call(() => word(TAP_COUNT)),
    () => {
      word(TAP_COUNT)
        .i32(TAP_WORDS * 4)
        .op('i32Mul')
        .get(tap)
        .op('i32Add')
        .set(tapEnd);
      f.loop(() => {
        call(() => f.i32(1));
        f.addTo(tap, TAP_WORDS * 4);
        f.get(tap).get(tapEnd).op('i32LtU').brIf(0);
      });
    },
  );
  return f;
}

/** runJob(job): takes items until none is left, each run by the function of the job's kind,
 *  counts it done and notifies waiters on the done counter after the last one; returns how
 *  many this thread ran. A claim is refused unless its tag is the job's (see writeJob). */
function runJobFunction(itemFunctions: ReadonlyMap<number, number>): FunctionBuilder {
  const f = new FunctionBuilder([I32], [I32]);
  const job = 0;
  const [claim, count, kind, done] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  f.block(() =>
    f.loop(() => {
      f.get(job)
        .i32(1)
        .mem('i32AtomicRmwAdd', NEXT * 4)
        .set(claim);
      f.get(job)
        .mem('i32AtomicLoad', ITEMS * 4)
        .set(count);
      f.get(claim).i32(INDEX_BITS).op('i32ShrU').get(count).i32(INDEX_BITS).op('i32ShrU');
      f.op('i32Ne').brIf(1);
      f.get(claim).i32(INDEX_MASK).op('i32And').tee(claim);
      f.get(count).i32(INDEX_MASK).op('i32And').tee(count).op('i32GeU').brIf(1);
      f.get(job)
        .mem('i32Load', KIND * 4)
        .set(kind);
      for (const [k, index] of itemFunctions) {
        f.get(kind)
          .i32(k)
          .op('i32Eq')
          .ifThen(() => f.get(job).get(claim).call(index));
      }
      f.get(job)
        .i32(1)
        .mem('i32AtomicRmwAdd', DONE * 4)
        .i32(1)
        .op('i32Add')
        .get(count);
      f.op('i32Eq');
      f.ifThen(() =>
        f
          .get(job)
          .i32(0x7fffffff)
          .mem('memoryAtomicNotify', DONE * 4)
          .op('drop'),
      );
      f.addTo(done, 1).br(0);
    }),
  );
  f.get(done);
  return f;
}

/** The pool's module: gemm, the channel passes and runJob over an imported shared memory. */
export function computeModuleBytes(): Uint8Array {
  const module = new ModuleBuilder();
  const gemmIndex = addGemm(module, 'gemm');
  const items = addChannelKernels(module);
  items.set(KIND_GEMM, module.add(gemmItemFunction(gemmIndex)));
  module.add(runJobFunction(items), 'runJob');
  return module.encode(MAXIMUM_PAGES);
}
