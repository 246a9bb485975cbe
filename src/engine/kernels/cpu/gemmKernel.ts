// Generator of the WebAssembly SIMD matrix product that the compute pool runs on every thread
// (engine, wherever TF.js runs), over the pool's shared memory:
//
//   gemm(a, sI, sP, b, sB, c, sC, m, k, n, acc):
//     C[i, j] (+)= Σ_p A[a + i·sI + p·sP] · B[b + p·sB + 4j],  stored at c + i·sC + 4j
//
// for i < m, j < n; addresses and strides in bytes, float32 values. The two A strides make
// one kernel serve A (sI = row pitch, sP = 4), Aᵀ (sI = 4, sP = row pitch) and the overlapping
// rows of the conv's padded input (sI = cin·4). Register tiles of R rows × 4V columns of f32x4
// accumulators, then 4-wide and single columns, and single rows for m % R.
//
// Every C element is summed over p = 0 … k − 1 in order, as one f32 multiply and one f32 add
// per term (WebAssembly never fuses them), starting from 0, then added to C when `acc` is set,
// whichever tile computes it: the result does not depend on the tiling, on how rows are split
// into bands, nor on which thread runs a band.
import { F32, FunctionBuilder, I32, ModuleBuilder, V128 } from './wasmEmitter';

/** 4 GiB: the arena may grow to the whole 32-bit address space (reserved, not committed). */
export const MAXIMUM_PAGES = 65536;

const GEMM_PARAMS = [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32] as const;
/** Parameter indices of tile and band functions: (pa, pb, pc, k, sI, sP, sB, sC, acc[, n]). */
const [PA, PB, PC, K, SI, SP, SB, SC, ACC, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** One R × 4V tile (V = 0: one column) over the whole inner dimension k ≥ 1. */
function tile(rows: number, vectors: number): FunctionBuilder {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const aRow = [PA, ...Array.from({ length: rows - 1 }, () => f.local(I32))];
  const scalar = vectors === 0;
  const bVec = Array.from({ length: vectors }, () => f.local(V128));
  const acc = Array.from({ length: rows }, () =>
    Array.from({ length: Math.max(1, vectors) }, () => f.local(scalar ? F32 : V128)),
  );
  for (let r = 1; r < rows; r++)
    f.get(aRow[r - 1])
      .get(SI)
      .op('i32Add')
      .set(aRow[r]);
  f.loop(() => {
    if (scalar) {
      for (let r = 0; r < rows; r++) {
        f.get(acc[r][0]).get(aRow[r]).mem('f32Load').get(PB).mem('f32Load').op('f32Mul');
        f.op('f32Add').set(acc[r][0]);
      }
    } else {
      bVec.forEach((b, v) =>
        f
          .get(PB)
          .mem('v128Load', 16 * v)
          .set(b),
      );
      for (let r = 0; r < rows; r++) {
        for (let v = 0; v < vectors; v++) {
          f.get(acc[r][v]).get(aRow[r]).mem('v128Load32Splat').get(bVec[v]).op('f32x4Mul');
          f.op('f32x4Add').set(acc[r][v]);
        }
      }
    }
    for (let r = 0; r < rows; r++) f.addLocal(aRow[r], SP);
    f.addLocal(PB, SB);
    f.get(K).i32(1).op('i32Sub').tee(K).brIf(0);
  });
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < acc[r].length; v++) {
      const [load, add, store] = scalar
        ? (['f32Load', 'f32Add', 'f32Store'] as const)
        : (['v128Load', 'f32x4Add', 'v128Store'] as const);
      f.get(ACC).ifThen(() => {
        f.get(PC)
          .mem(load, 16 * v)
          .get(acc[r][v])
          .op(add)
          .set(acc[r][v]);
      });
      f.get(PC)
        .get(acc[r][v])
        .mem(store, 16 * v);
    }
    if (r < rows - 1) f.addLocal(PC, SC);
  }
  return f;
}

/** Columns [j, n) of one R-row band in steps of `width`, calling `tileIndex` per step. */
function columnLoop(f: FunctionBuilder, j: number, width: number, tileIndex: number): void {
  f.block(() =>
    f.loop(() => {
      f.get(j).i32(width).op('i32Add').get(N).op('i32GtU').brIf(1);
      const shifted = (base: number) => f.get(base).get(j).i32(2).op('i32Shl').op('i32Add');
      f.get(PA);
      shifted(PB);
      shifted(PC);
      f.get(K).get(SI).get(SP).get(SB).get(SC).get(ACC).call(tileIndex);
      f.addTo(j, width).br(0);
    }),
  );
}

/** All n columns of one R-row band: 4V-wide tiles, then 4-wide, then single columns. */
function bandFunction(tiles: { wide: number; four: number; one: number }, vectors: number) {
  const f = new FunctionBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const j = f.local(I32);
  const widths: [number, number][] = [[4 * vectors, tiles.wide]];
  if (vectors > 1) widths.push([4, tiles.four]);
  widths.push([1, tiles.one]);
  for (const [width, index] of widths) columnLoop(f, j, width, index);
  return f;
}

/**
 * Adds the tiles and bands for R = `rows` and R = 1, and the gemm function, to `module`;
 * returns gemm's function index. Indices follow add() order, so they are known before the
 * bodies that call them are written.
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
  const f = new FunctionBuilder(GEMM_PARAMS);
  const [a, sI, sP, b, sB, c, sC, m, k, n, acc] = GEMM_PARAMS.map((_, i) => i);
  const i = f.local(I32);
  f.get(k)
    .op('i32Eqz')
    .ifThen(() => f.op('return'));
  const rowLoop = (r: number) =>
    f.block(() =>
      f.loop(() => {
        f.get(i).i32(r).op('i32Add').get(m).op('i32GtU').brIf(1);
        f.get(a).get(b).get(c).get(k).get(sI).get(sP).get(sB).get(sC).get(acc).get(n);
        f.call(bandIndex.get(r)!);
        f.get(a).get(sI).i32(r).op('i32Mul').op('i32Add').set(a);
        f.get(c).get(sC).i32(r).op('i32Mul').op('i32Add').set(c);
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
