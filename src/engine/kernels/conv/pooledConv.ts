// 3-D conv output and input gradient on the compute pool (engine, main thread of the engine
// process; the filter gradient is pooledKernelGrad.ts): the products run as pool jobs
// (kernels/cpu/tasks.ts) over the shared arena, chunked along output planes (pooledChunks.ts) so
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
import {
  aligned,
  arenaCopy,
  BAND_ROWS,
  paddedGrid,
  padPlanes,
  planesPerChunk,
  stride1Taps,
} from './pooledChunks';

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
