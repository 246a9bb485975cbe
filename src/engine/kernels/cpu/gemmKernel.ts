// Generator of the WebAssembly SIMD matrix product that the compute pool runs on every thread
// (engine, wherever TF.js runs), over the pool's shared memory:
//
//   gemm(table, taps, aShift, sI, sP, bShift, sB, c, sC, m, k, n, acc):
//     C[i, j] (+)= Σ_t Σ_p A_t[i·sI + p·sP] · B_t[p·sB + 4j],  stored at c + i·sC + 4j
//
// for i < m, j < n, where tap t's A starts at table[t].a + aShift and its B at table[t].b +
// bShift (`table` holds `taps` records of 16 bytes whose first two words are those addresses).
// Addresses and strides are in bytes, values float32. The two A strides make one kernel serve
// A (sI = row pitch, sP = 4), Aᵀ (sI = 4, sP = row pitch) and the overlapping rows of the conv's
// padded input (sI = cin·4); the taps sum the k² shifted products of a stride-1 conv in one go,
// with the accumulators in registers throughout. Register tiles of R rows × 4V columns of
// f32x4, then 4-wide and single columns, and single rows for m % R.
//
// Every C element is summed over t, then p, in order, as one f32 multiply and one f32 add per
// term (WebAssembly never fuses them), starting from 0, then added to C when `acc` is set,
// whichever tile computes it: the result does not depend on the tiling, on how rows are split
// into bands, nor on which thread runs a band.
import { F32, FunctionBuilder, I32, ModuleBuilder, V128, type ValueType } from './wasmEmitter';

/** 4 GiB: the arena may grow to the whole 32-bit address space (reserved, not committed). */
export const MAXIMUM_PAGES = 65536;
/** Bytes per tap record in a table. */
export const TAP_RECORD_BYTES = 16;

/** Parameters of gemm, and of tiles and bands (which take the column count n last). */
const PARAMS = ['table', 'taps', 'aShift', 'sI', 'sP', 'bShift', 'sB', 'c', 'sC', 'k', 'acc'];
const P = Object.fromEntries(PARAMS.map((name, i) => [name, i])) as Record<string, number>;
const N = PARAMS.length;
const ints = (count: number): ValueType[] => Array.from({ length: count }, () => I32);

/** One R × 4V tile (V = 0: one column) over every tap and the whole inner dimension k ≥ 1. */
function tile(rows: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder(ints(PARAMS.length));
  const aRow = Array.from({ length: rows }, () => f.local(I32));
  const [pb, p, tap, left] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const scalar = vectors === 0;
  const bVec = Array.from({ length: vectors }, () => f.local(V128));
  const splat = f.local(V128);
  const acc = Array.from({ length: rows }, () =>
    Array.from({ length: Math.max(1, vectors) }, () => f.local(scalar ? F32 : V128)),
  );
  f.get(P.table).set(tap);
  f.get(P.taps).set(left);
  f.loop(() => {
    f.get(tap).mem('i32Load', 0).get(P.aShift).op('i32Add').set(aRow[0]);
    for (let r = 1; r < rows; r++)
      f.get(aRow[r - 1])
        .get(P.sI)
        .op('i32Add')
        .set(aRow[r]);
    f.get(tap).mem('i32Load', 4).get(P.bShift).op('i32Add').set(pb);
    f.get(P.k).set(p);
    f.loop(() => {
      if (scalar) {
        for (let r = 0; r < rows; r++) {
          f.get(acc[r][0]).get(aRow[r]).mem('f32Load').get(pb).mem('f32Load').op('f32Mul');
          f.op('f32Add').set(acc[r][0]);
        }
      } else {
        bVec.forEach((b, v) =>
          f
            .get(pb)
            .mem('v128Load', 16 * v)
            .set(b),
        );
        // One broadcast per row, reused across the row's vectors (V8 does not merge repeated
        // loads: this alone is ~35 % faster).
        for (let r = 0; r < rows; r++) {
          f.get(aRow[r]).mem('v128Load32Splat').set(splat);
          for (let v = 0; v < vectors; v++) {
            f.get(acc[r][v]).get(splat).get(bVec[v]).op('f32x4Mul');
            f.op('f32x4Add').set(acc[r][v]);
          }
        }
      }
      for (let r = 0; r < rows; r++) f.addLocal(aRow[r], P.sP);
      f.addLocal(pb, P.sB);
      f.get(p).i32(1).op('i32Sub').tee(p).brIf(0);
    });
    f.addTo(tap, TAP_RECORD_BYTES);
    f.get(left).i32(1).op('i32Sub').tee(left).brIf(0);
  });
  const [load, add, store] = scalar
    ? (['f32Load', 'f32Add', 'f32Store'] as const)
    : (['v128Load', 'f32x4Add', 'v128Store'] as const);
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < acc[r].length; v++) {
      f.get(P.acc).ifThen(() => {
        f.get(P.c)
          .mem(load, 16 * v)
          .get(acc[r][v])
          .op(add)
          .set(acc[r][v]);
      });
      f.get(P.c)
        .get(acc[r][v])
        .mem(store, 16 * v);
    }
    if (r < rows - 1) f.addLocal(P.c, P.sC);
  }
  return f;
}

/** Columns [j, n) of one R-row band in steps of `width`, calling `tileIndex` per step. */
function columnLoop(f: FunctionBuilder, j: number, width: number, tileIndex: number): void {
  f.block(() =>
    f.loop(() => {
      f.get(j).i32(width).op('i32Add').get(N).op('i32GtU').brIf(1);
      const shifted = (param: number) => f.get(param).get(j).i32(2).op('i32Shl').op('i32Add');
      PARAMS.forEach((name, i) => (name === 'bShift' || name === 'c' ? shifted(i) : f.get(i)));
      f.call(tileIndex);
      f.addTo(j, width).br(0);
    }),
  );
}

/** All n columns of one R-row band: 4V-wide tiles, then 4-wide, then single columns. */
function bandFunction(tiles: { wide: number; four: number; one: number }, vectors: number) {
  const f = new FunctionBuilder(ints(PARAMS.length + 1));
  const j = f.local(I32);
  const widths: [number, number][] = [[4 * vectors, tiles.wide]];
  if (vectors > 1) widths.push([4, tiles.four]);
  widths.push([1, tiles.one]);
  for (const [width, index] of widths) columnLoop(f, j, width, index);
  return f;
}

/**
 * Adds the tiles and bands for R = `rows` and R = 1, and the gemm function (parameters as in
 * PARAMS, then m and n), to `module`; returns gemm's function index. Indices follow add()
 * order, so they are known before the bodies that call them are written.
 */
export function addGemm(module: ModuleBuilder, exportName?: string, rows = 4, vectors = 2) {
  const bandIndex = new Map<number, number>();
  for (const r of [rows, 1]) {
    const base = module.nextIndex;
    const tiles = { wide: base, four: base + 1, one: base + 2 };
    module.add(tile(r, vectors));
    module.add(tile(r, 1));
    module.add(tile(r, 0));
    bandIndex.set(r, module.add(bandFunction(tiles, vectors)));
  }
  const f = new FunctionBuilder(ints(PARAMS.length + 2));
  const [m, n] = [PARAMS.length, PARAMS.length + 1];
  const i = f.local(I32);
  f.get(P.k)
    .op('i32Eqz')
    .ifThen(() => f.op('return'));
  f.get(P.taps)
    .op('i32Eqz')
    .ifThen(() => f.op('return'));
  const rowLoop = (r: number) =>
    f.block(() =>
      f.loop(() => {
        f.get(i).i32(r).op('i32Add').get(m).op('i32GtU').brIf(1);
        PARAMS.forEach((_, index) => f.get(index));
        f.get(n).call(bandIndex.get(r)!);
        f.get(P.aShift).get(P.sI).i32(r).op('i32Mul').op('i32Add').set(P.aShift);
        f.get(P.c).get(P.sC).i32(r).op('i32Mul').op('i32Add').set(P.c);
        f.addTo(i, r).br(0);
      }),
    );
  rowLoop(rows);
  rowLoop(1);
  return module.add(f, exportName);
}

/** A module holding gemm alone (tests and benchmarks of the kernel itself). */
export function gemmWasmBytes(rows = 4, vectors = 2): Uint8Array {
  const module = new ModuleBuilder();
  addGemm(module, 'gemm', rows, vectors);
  return module.encode(MAXIMUM_PAGES);
}
