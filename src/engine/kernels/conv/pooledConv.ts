// 3-D conv values and gradients on the compute pool (engine, main thread of the engine process):
// the products run as pool jobs (kernels/cpu/tasks.ts) over the shared arena, chunked along output planes so
// the arena holds a bounded slice of a tensor at a time. Layout NDHWC, kernel [k, k, k, cin, cout].
//
// Stride 1 needs no patch gather at all. The input is zero-padded into the arena, plane by plane,
// and the output is computed on a "wide" grid of outW + k − 1 columns per row (the extra ones
// are dropped). Then the k·cin inputs of tap (kd, kh) for output row r of a plane are the
// contiguous run at r·cin of the padded plane shifted by (kd·Hp + kh)·Wp·cin: A is the padded
// input itself read with a row stride of cin (its rows overlap), and the conv is k² products.
// The filter gradient reads the same A transposed, one output plane per work item, into its
// own partial sum; the partials are added in plane order, whatever the thread count.
import { col2imAdd, im2col, patchSize, planeCount, planeRows, type ConvGeometry } from './im2col';
import { arenaAlloc, arenaMark, arenaRelease, arenaView, runJob } from '../cpu/pool';
import type { Tap } from '../cpu/tasks';

/** Rows per work item of the big products: ~10–50 µs of work, small enough to balance. */
const BAND_ROWS = 128;

/** Whole output planes per chunk so that a chunk's arena buffers hold ≤ maxChunk floats. */
function planesPerChunk(planes: number, floatsPerPlane: number, maxChunk: number): number {
  return Math.max(1, Math.min(planes, Math.floor(maxChunk / floatsPerPlane)));
}

/** im2col moves float32 pairs as float64: it needs 8-byte aligned input. */
function aligned(x: Float32Array): Float32Array {
  return x.byteOffset % 8 === 0 ? x : x.slice();
}

/** Copies `values` into a new arena block; returns its address. */
function arenaCopy(values: Float32Array): number {
  const at = arenaAlloc(values.length);
  arenaView(at, values.length).set(values);
  return at;
}

/** The padded grid of a stride-1 conv: depth, height and width of the zero-padded input. */
function paddedGrid(g: ConvGeometry) {
  return { dp: g.outD + g.k - 1, hp: g.outH + g.k - 1, wp: g.outW + g.k - 1 };
}

/**
 * Zero-padded channels-last input planes [z0, z1) of sample n (padded depth coordinates) into
 * `dst`: x[n, z − pad, h − pad, w − pad, :] at [z − z0, h, w, :], zeros outside the volume.
 */
function padPlanes(
  x: Float32Array,
  g: ConvGeometry,
  n: number,
  z0: number,
  z1: number,
  dst: Float32Array,
) {
  const { inD, inH, inW, cin, pad } = g;
  const { hp, wp } = paddedGrid(g);
  dst.fill(0);
  const line = inW * cin;
  for (let z = z0; z < z1; z++) {
    const d = z - pad;
    if (d < 0 || d >= inD) continue;
    for (let h = 0; h < inH; h++) {
      const src = ((n * inD + d) * inH + h) * line;
      dst.set(x.subarray(src, src + line), (((z - z0) * hp + h + pad) * wp + pad) * cin);
    }
  }
}

/** Taps (kd, kh) of a stride-1 conv over a padded chunk at `xpad`: A shifts, B or C blocks;
 *  each overwrites its C (or, fused, they overwrite the one C). */
function stride1Taps(
  g: ConvGeometry,
  xpad: number,
  b: (t: number) => number,
  c: (t: number) => number,
): Tap[] {
  const { hp, wp } = paddedGrid(g);
  const taps: Tap[] = [];
  for (let kd = 0; kd < g.k; kd++) {
    for (let kh = 0; kh < g.k; kh++) {
      const t = kd * g.k + kh;
      const a = xpad + (kd * hp + kh) * wp * g.cin * 4;
      taps.push({ a, b: b(t), c: c(t), accumulate: false });
    }
  }
  return taps;
}

function stride1Forward(x: Float32Array, g: ConvGeometry, kernel: Float32Array, maxChunk: number) {
  const { k, cin, cout, outD, outH, outW } = g;
  const { hp, wp } = paddedGrid(g);
  const rowsPerPlane = outH * wp;
  const per = planesPerChunk(outD, Math.max(hp * wp * cin, rowsPerPlane * cout), maxChunk);
  const out = new Float32Array(g.batch * outD * outH * outW * cout);
  const mark = arenaMark();
  try {
    const w = arenaCopy(kernel);
    // k·cin floats of slack: the dropped columns of the last row read past the last plane.
    const xpadFloats = (per + k - 1) * hp * wp * cin + k * cin;
    const xpad = arenaAlloc(xpadFloats);
    const acc = arenaAlloc(per * rowsPerPlane * cout);
    const tapFloats = k * cin * cout;
    for (let n = 0; n < g.batch; n++) {
      for (let d0 = 0; d0 < outD; d0 += per) {
        const d1 = Math.min(outD, d0 + per);
        padPlanes(x, g, n, d0, d1 + k - 1, arenaView(xpad, xpadFloats));
        runJob({
          units: d1 - d0,
          ...{ unitA: hp * wp * cin * 4, unitB: 0, unitC: rowsPerPlane * cout * 4 },
          ...{ m: rowsPerPlane, bandRows: BAND_ROWS, k: k * cin, n: cout },
          ...{ sI: cin * 4, sP: 4, sB: cout * 4, sC: cout * 4 },
          taps: stride1Taps(
            g,
            xpad,
            (t) => w + t * tapFloats * 4,
            () => acc,
          ),
          fuseTaps: true,
        });
        const wide = arenaView(acc, (d1 - d0) * rowsPerPlane * cout);
        for (let d = d0; d < d1; d++) {
          for (let h = 0; h < outH; h++) {
            const src = ((d - d0) * rowsPerPlane + h * wp) * cout;
            out.set(
              wide.subarray(src, src + outW * cout),
              ((n * outD + d) * outH + h) * outW * cout,
            );
          }
        }
      }
    }
  } finally {
    arenaRelease(mark);
  }
  return out;
}

/** Strided conv: im2col rows (gathered into the arena) · kernel, per chunk of output planes. */
function stridedForward(x0: Float32Array, g: ConvGeometry, kernel: Float32Array, maxChunk: number) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const planes = planeCount(g);
  const per = planesPerChunk(planes, rpp * Math.max(K, g.cout), maxChunk);
  const out = new Float32Array(planes * rpp * g.cout);
  const x = aligned(x0);
  const mark = arenaMark();
  try {
    const w = arenaCopy(kernel);
    const cols = arenaAlloc(per * rpp * K);
    const y = arenaAlloc(per * rpp * g.cout);
    for (let p0 = 0; p0 < planes; p0 += per) {
      const p1 = Math.min(p0 + per, planes);
      const rows = (p1 - p0) * rpp;
      im2col(x, g, p0, p1, arenaView(cols, rows * K));
      runJob({
        ...{ units: 1, unitA: 0, unitB: 0, unitC: 0 },
        ...{ m: rows, bandRows: BAND_ROWS, k: K, n: g.cout },
        ...{ sI: K * 4, sP: 4, sB: g.cout * 4, sC: g.cout * 4 },
        taps: [{ a: cols, b: w, c: y, accumulate: false }],
      });
      out.set(arenaView(y, rows * g.cout), p0 * rpp * g.cout);
    }
  } finally {
    arenaRelease(mark);
  }
  return out;
}

/** Whether the pooled path takes this conv: stride 1 any channels; strided convs gather with
 *  im2col, which moves channel pairs (even cin; the V-Net's strided convs have ≥ 8). */
export function pooledConvApplies(g: ConvGeometry): boolean {
  return g.stride === 1 || g.cin % 2 === 0;
}

/** Conv output [N·oD·oH·oW, cout]. */
export function pooledConvForward(
  x: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  maxChunk: number,
): Float32Array {
  return g.stride === 1
    ? stride1Forward(x, g, kernel, maxChunk)
    : stridedForward(x, g, kernel, maxChunk);
}

/** The kernel of the adjoint stride-1 conv: taps reversed, channel axes swapped. */
function flippedKernel(kernel: Float32Array, g: ConvGeometry): Float32Array {
  const { k, cin, cout } = g;
  const taps = k * k * k;
  const flipped = new Float32Array(kernel.length);
  for (let t = 0; t < taps; t++) {
    const src = (taps - 1 - t) * cin * cout;
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++)
        flipped[(t * cout + co) * cin + ci] = kernel[src + ci * cout + co];
    }
  }
  return flipped;
}

/** dL/dx, input-shaped. Stride 1: the stride-1 conv of dy with the flipped kernel and padding
 *  k − 1 − pad. Strided: d patches = dy · kernelᵀ per chunk, scattered back by col2im. */
export function pooledInputGrad(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  maxChunk: number,
): Float32Array {
  if (g.stride === 1) {
    const adjoint: ConvGeometry = {
      ...{ batch: g.batch, inD: g.outD, inH: g.outH, inW: g.outW, cin: g.cout, cout: g.cin },
      ...{ k: g.k, stride: 1, pad: g.k - 1 - g.pad, outD: g.inD, outH: g.inH, outW: g.inW },
    };
    return stride1Forward(dy, adjoint, flippedKernel(kernel, g), maxChunk);
  }
  const K = patchSize(g);
  const rpp = planeRows(g);
  const planes = planeCount(g);
  const per = planesPerChunk(planes, rpp * K, maxChunk);
  const kernelT = new Float32Array(K * g.cout);
  for (let r = 0; r < K; r++) {
    for (let co = 0; co < g.cout; co++) kernelT[co * K + r] = kernel[r * g.cout + co];
  }
  const dx = new Float32Array(g.batch * g.inD * g.inH * g.inW * g.cin);
  const mark = arenaMark();
  try {
    const wT = arenaCopy(kernelT);
    const dyChunk = arenaAlloc(per * rpp * g.cout);
    const dcols = arenaAlloc(per * rpp * K);
    for (let p0 = 0; p0 < planes; p0 += per) {
      const p1 = Math.min(p0 + per, planes);
      const rows = (p1 - p0) * rpp;
      arenaView(dyChunk, rows * g.cout).set(dy.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout));
      runJob({
        ...{ units: 1, unitA: 0, unitB: 0, unitC: 0 },
        ...{ m: rows, bandRows: BAND_ROWS, k: g.cout, n: K },
        ...{ sI: g.cout * 4, sP: 4, sB: K * 4, sC: K * 4 },
        taps: [{ a: dyChunk, b: wT, c: dcols, accumulate: false }],
      });
      col2imAdd(arenaView(dcols, rows * K), g, p0, p1, dx);
    }
  } finally {
    arenaRelease(mark);
  }
  return dx;
}

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
