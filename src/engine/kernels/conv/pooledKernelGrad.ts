// The filter gradient of a 3-D conv on the compute pool (engine, main thread of the engine
// process): per output plane a partial sum of patch ⊗ dy, run as pool jobs, added in plane order
// in float64 whatever the thread count. Stride 1 reads the zero-padded input on the wide grid
// (pooledConv.ts), strided convs gather im2col rows into the arena.
import { im2col, patchSize, planeCount, planeRows, type ConvGeometry } from './im2col';
import { arenaAlloc, arenaMark, arenaRelease, arenaView, runJob } from '../cpu/pool';
import { aligned, paddedGrid, padPlanes, planesPerChunk, stride1Taps } from './pooledChunks';

/** Adds the per-plane partials [units][K·cout] in order to the float64 total. */
function addPartials(total: Float64Array, partials: Float32Array, units: number): void {
  const size = total.length;
  for (let u = 0; u < units; u++) {
    const base = u * size;
    for (let i = 0; i < size; i++) total[i] += partials[base + i];
  }
}

function stride1KernelGrad(
  x: Float32Array,
  g: ConvGeometry,
  dy: Float32Array,
  maxChunk: number,
  total: Float64Array,
) {
  const { k, cin, cout, outD, outH, outW } = g;
  const { hp, wp } = paddedGrid(g);
  const rowsPerPlane = outH * wp;
  const K = patchSize(g);
  const per = planesPerChunk(outD, Math.max(hp * wp * cin, rowsPerPlane * cout), maxChunk);
  const xpadFloats = (per + k - 1) * hp * wp * cin + k * cin;
  const xpad = arenaAlloc(xpadFloats);
  const dyWide = arenaAlloc(per * rowsPerPlane * cout);
  const partials = arenaAlloc(per * K * cout);
  const tapFloats = k * cin * cout;
  for (let n = 0; n < g.batch; n++) {
    for (let d0 = 0; d0 < outD; d0 += per) {
      const d1 = Math.min(outD, d0 + per);
      padPlanes(x, g, n, d0, d1 + k - 1, arenaView(xpad, xpadFloats));
      // dy on the wide grid, zero in the dropped columns so that they add nothing.
      const wide = arenaView(dyWide, (d1 - d0) * rowsPerPlane * cout);
      wide.fill(0);
      for (let d = d0; d < d1; d++) {
        for (let h = 0; h < outH; h++) {
          const src = ((n * outD + d) * outH + h) * outW * cout;
          wide.set(dy.subarray(src, src + outW * cout), ((d - d0) * rowsPerPlane + h * wp) * cout);
        }
      }
      runJob({
        units: d1 - d0,
        ...{ unitA: hp * wp * cin * 4, unitB: rowsPerPlane * cout * 4, unitC: K * cout * 4 },
        ...{ m: k * cin, bandRows: k * cin, k: rowsPerPlane, n: cout },
        ...{ sI: 4, sP: cin * 4, sB: cout * 4, sC: cout * 4 },
        taps: stride1Taps(
          g,
          xpad,
          () => dyWide,
          (t) => partials + t * tapFloats * 4,
        ),
      });
      addPartials(total, arenaView(partials, (d1 - d0) * K * cout), d1 - d0);
    }
  }
}

function stridedKernelGrad(
  x0: Float32Array,
  g: ConvGeometry,
  dy: Float32Array,
  maxChunk: number,
  total: Float64Array,
) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const planes = planeCount(g);
  const per = planesPerChunk(planes, rpp * K, maxChunk);
  const x = aligned(x0);
  const cols = arenaAlloc(per * rpp * K);
  const dyChunk = arenaAlloc(per * rpp * g.cout);
  const partials = arenaAlloc(per * K * g.cout);
  for (let p0 = 0; p0 < planes; p0 += per) {
    const p1 = Math.min(p0 + per, planes);
    const rows = (p1 - p0) * rpp;
    im2col(x, g, p0, p1, arenaView(cols, rows * K));
    arenaView(dyChunk, rows * g.cout).set(dy.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout));
    // Per plane: partial = colsᵀ · dy, colsᵀ read through the strides (no transposed gather).
    runJob({
      units: p1 - p0,
      ...{ unitA: rpp * K * 4, unitB: rpp * g.cout * 4, unitC: K * g.cout * 4 },
      ...{ m: K, bandRows: K, k: rpp, n: g.cout },
      ...{ sI: 4, sP: K * 4, sB: g.cout * 4, sC: g.cout * 4 },
      taps: [{ a: cols, b: dyChunk, c: partials, accumulate: false }],
    });
    addPartials(total, arenaView(partials, (p1 - p0) * K * g.cout), p1 - p0);
  }
}

/** dL/dkernel = Σ over output voxels of patch ⊗ dy, as [k³·cin, cout]: per-plane partials
 *  (fixed by the shape) summed in plane order in float64. */
export function pooledKernelGrad(
  x: Float32Array,
  g: ConvGeometry,
  dy: Float32Array,
  maxChunk: number,
): Float32Array {
  const total = new Float64Array(patchSize(g) * g.cout);
  const mark = arenaMark();
  try {
    if (g.stride === 1) stride1KernelGrad(x, g, dy, maxChunk, total);
    else stridedKernelGrad(x, g, dy, maxChunk, total);
  } finally {
    arenaRelease(mark);
  }
  return Float32Array.from(total);
}
