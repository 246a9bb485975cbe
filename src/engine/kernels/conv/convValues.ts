// Values of a 3-D conv and of its two gradients on plain Float32Arrays (engine, wherever TF.js
// runs): gathers from im2col.ts and wideGrid.ts, dense products from products.ts, chunked along
// output planes so the gathered matrices stay within maxChunkFloats. Layout NDHWC, kernel
// [k, k, k, cin, cout].
import {
  col2imAdd,
  expandW,
  im2col,
  im2colT,
  patchSize,
  planeCount,
  planeRows,
  toChannelsFirst,
  type ConvGeometry,
} from './im2col';
import { im2colTWide, paddedChannelsFirst, wideRows, wideWidth } from './wideGrid';
import type { Products } from './products';

const scratch: Float32Array[] = [new Float32Array(0), new Float32Array(0)];

/** Gather buffers reused across calls: allocating (and zeroing) tens of MB per conv cost as
 *  much as gathering into them. Two slots; no caller holds a slot across a nested use. */
function scratchBuffer(slot: 0 | 1, floats: number): Float32Array {
  if (scratch[slot].length < floats) scratch[slot] = new Float32Array(floats);
  return scratch[slot];
}

/** Whole output planes per chunk so that one gathered matrix holds ≤ maxChunk floats. */
function planesPerChunk(planes: number, floatsPerPlane: number, maxChunk: number): number {
  return Math.max(1, Math.min(planes, Math.floor(maxChunk / floatsPerPlane)));
}

/** The gathers move channel pairs from 8-byte aligned memory: an odd channel count gets one
 *  zero channel (and zero kernel rows), a misaligned input a copy. Only the 1-channel image of
 *  the first conv needs the padding, and that conv is cheap. */
function evenChannels(x: Float32Array, g: ConvGeometry, kernel: Float32Array) {
  if (g.cin % 2 === 0) return { x: x.byteOffset % 8 === 0 ? x : x.slice(), g, kernel };
  const { cin, cout } = g;
  const voxels = x.length / cin;
  const padded = new Float32Array(voxels * (cin + 1));
  for (let v = 0; v < voxels; v++) {
    for (let c = 0; c < cin; c++) padded[v * (cin + 1) + c] = x[v * cin + c];
  }
  const taps = g.k * g.k * g.k;
  const paddedKernel = new Float32Array(taps * (cin + 1) * cout);
  for (let t = 0; t < taps; t++) {
    paddedKernel.set(kernel.subarray(t * cin * cout, (t + 1) * cin * cout), t * (cin + 1) * cout);
  }
  return { x: padded, g: { ...g, cin: cin + 1 }, kernel: paddedKernel };
}

/**
 * Stride 1: k² products per chunk over row ranges of the W-expanded input (see expandW). The
 * output is computed on a "tall" grid of outH + k − 1 rows per plane whose extra rows are
 * dropped; chunks are runs of output planes of one sample.
 */
function stride1Values(
  x: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  p: Products,
  maxChunk: number,
) {
  const { k, cout, outD, outH, outW } = g;
  const kc = k * g.cin;
  const tallPlane = (outH + k - 1) * outW;
  const per = planesPerChunk(outD, tallPlane * kc, maxChunk);
  // The last tap's rows overrun the expanded planes by (k − 1)·outW rows, all of which only
  // reach dropped output rows, whatever the buffer holds there.
  const expanded = scratchBuffer(0, ((per + k - 1) * tallPlane + (k - 1) * outW) * kc);
  const acc = scratchBuffer(1, per * tallPlane * cout);
  const out = new Float32Array(g.batch * outD * outH * outW * cout);
  const taps = Array.from({ length: k * k }, (_, t) =>
    p.right(kernel.subarray(t * kc * cout, (t + 1) * kc * cout), kc, cout),
  );
  try {
    for (let n = 0; n < g.batch; n++) {
      for (let d0 = 0; d0 < outD; d0 += per) {
        const d1 = Math.min(outD, d0 + per);
        const rows = (d1 - d0) * tallPlane;
        expandW(x, g, n, d0, d1 + k - 1, expanded);
        const offsets = taps.map(
          (_, t) => (Math.floor(t / k) * (outH + k - 1) + (t % k)) * outW * kc,
        );
        p.sum(expanded, offsets, rows, taps, acc);
        for (let d = d0; d < d1; d++) {
          const src = (d - d0) * tallPlane * cout;
          out.set(acc.subarray(src, src + outH * outW * cout), (n * outD + d) * outH * outW * cout);
        }
      }
    }
  } finally {
    taps.forEach((t) => p.release(t));
  }
  return out;
}

/** Strided conv: im2col rows · kernel per chunk of output planes. */
function stridedValues(
  x: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  p: Products,
  maxChunk: number,
) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const per = planesPerChunk(planeCount(g), rpp * K, maxChunk);
  const cols = scratchBuffer(0, per * rpp * K);
  const out = new Float32Array(planeCount(g) * rpp * g.cout);
  const w = p.right(kernel, K, g.cout);
  try {
    for (let p0 = 0; p0 < planeCount(g); p0 += per) {
      const p1 = Math.min(p0 + per, planeCount(g));
      im2col(x, g, p0, p1, cols);
      const rows = (p1 - p0) * rpp;
      p.sum(cols, [0], rows, [w], out.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout));
    }
  } finally {
    p.release(w);
  }
  return out;
}

/** Conv output [N·oD·oH·oW, cout]. */
export function convForwardValues(
  x0: Float32Array,
  g0: ConvGeometry,
  kernel0: Float32Array,
  p: Products,
  maxChunk: number,
): Float32Array {
  const { x, g, kernel } = evenChannels(x0, g0, kernel0);
  return g.stride === 1
    ? stride1Values(x, g, kernel, p, maxChunk)
    : stridedValues(x, g, kernel, p, maxChunk);
}

/**
 * dL/dkernel = patchesᵀ · dy, summed over chunks, as [k³·cin, cout]. The patches are gathered
 * transposed so that the big matrix is the left operand (on 'wasm' a transposed or big right
 * operand is ~10× slower). Stride-1 convs gather on the wide grid (im2colTWide): long memcpys.
 */
export function kernelGradValues(
  x: Float32Array,
  g: ConvGeometry,
  dy: Float32Array,
  p: Products,
  maxChunk: number,
): Float32Array {
  const K = patchSize(g);
  const wide = g.stride === 1;
  const grid: ConvGeometry = wide ? { ...g, outW: wideWidth(g) } : g;
  const source = wide ? paddedChannelsFirst(x, g) : toChannelsFirst(x, g);
  const dyGrid = wide ? wideRows(dy, g) : dy;
  const rpp = planeRows(grid);
  const per = planesPerChunk(planeCount(grid), rpp * K, maxChunk);
  const colsT = scratchBuffer(0, per * rpp * K);
  const acc = new Float32Array(K * g.cout);
  const part = new Float32Array(K * g.cout);
  for (let p0 = 0; p0 < planeCount(grid); p0 += per) {
    const p1 = Math.min(p0 + per, planeCount(grid));
    const rows = (p1 - p0) * rpp;
    if (wide) im2colTWide(source, g, p0, p1, colsT);
    else im2colT(source, g, p0, p1, colsT);
    const dyChunk = p.right(dyGrid.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout), rows, g.cout);
    try {
      p.sum(colsT, [0], K, [dyChunk], part);
      for (let i = 0; i < acc.length; i++) acc[i] += part[i];
    } finally {
      p.release(dyChunk);
    }
  }
  return acc;
}

/** Stride 1: dL/dx is itself a stride-1 conv of dy with the spatially flipped kernel, its
 *  channel axes swapped and padding k − 1 − pad, so it reuses the forward path and needs no
 *  scatter-add over overlapping patches. */
function inputGradStride1(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  p: Products,
  maxChunk: number,
) {
  const { k, cin, cout } = g;
  const taps = k * k * k;
  const flipped = new Float32Array(kernel.length);
  for (let t = 0; t < taps; t++) {
    const src = (taps - 1 - t) * cin * cout;
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++) {
        flipped[(t * cout + co) * cin + ci] = kernel[src + ci * cout + co];
      }
    }
  }
  const adjoint: ConvGeometry = {
    ...{ batch: g.batch, inD: g.outD, inH: g.outH, inW: g.outW, cin: cout, cout: cin, k },
    ...{ stride: 1, pad: k - 1 - g.pad, outD: g.inD, outH: g.inH, outW: g.inW },
  };
  return convForwardValues(dy, adjoint, flipped, p, maxChunk);
}

/** Strided conv: d patches = dy · kernelᵀ per chunk, scattered back by col2im. With k = stride
 *  (the down-sampling conv) the windows do not overlap and the scatter is a permutation. */
function inputGradStrided(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  p: Products,
  maxChunk: number,
) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const per = planesPerChunk(planeCount(g), rpp * K, maxChunk);
  const kernelT = new Float32Array(K * g.cout);
  for (let r = 0; r < K; r++) {
    for (let co = 0; co < g.cout; co++) kernelT[co * K + r] = kernel[r * g.cout + co];
  }
  const dcols = scratchBuffer(0, per * rpp * K);
  const dx = new Float32Array(g.batch * g.inD * g.inH * g.inW * g.cin);
  const wT = p.right(kernelT, g.cout, K);
  try {
    for (let p0 = 0; p0 < planeCount(g); p0 += per) {
      const p1 = Math.min(p0 + per, planeCount(g));
      const rows = (p1 - p0) * rpp;
      p.sum(dy, [p0 * rpp * g.cout], rows, [wT], dcols);
      col2imAdd(dcols, g, p0, p1, dx);
    }
  } finally {
    p.release(wT);
  }
  return dx;
}

/** dL/dx, input-shaped. */
export function inputGradValues(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  p: Products,
  maxChunk: number,
): Float32Array {
  return g.stride === 1
    ? inputGradStride1(dy, g, kernel, p, maxChunk)
    : inputGradStrided(dy, g, kernel, p, maxChunk);
}
