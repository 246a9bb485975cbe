// matMul-based 3-D conv for TF.js's CPU-side backends (engine, wherever TF.js runs). The 'cpu'
// and 'wasm' Conv3D kernels (forward and both backprops) are naive loops at ~0.3 GFLOP/s, while
// matMul on 'wasm' runs XNNPACK at 10–20 GFLOP/s. Here patches are gathered in JavaScript
// (im2col.ts) and only the products go through tf.matMul. tfjs-node keeps its native conv3d.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import {
  col2imAdd,
  im2col,
  im2colT,
  patchSize,
  planeCount,
  planeRows,
  type ConvGeometry,
} from './im2col';

/** Backends whose own Conv3D kernels are naive loops; every other backend ('tensorflow' of
 *  tfjs-node, 'webgl', …) keeps tf.conv3d. */
const MATMUL_CONV_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

let matMulConvEnabled = true;

/** Benchmarks and A/B checks: false sends every conv back to tf.conv3d. */
export function enableMatMulConv3d(enabled: boolean): void {
  matMulConvEnabled = enabled;
}

/** Whether `conv` should run conv3dFast instead of tf.conv3d on this backend. */
export function prefersMatMulConv3d(backendName: string): boolean {
  return matMulConvEnabled && MATMUL_CONV_BACKENDS.has(backendName);
}

export interface FastConvOptions {
  /** Largest patch matrix gathered at once, in floats; bounds the extra memory at large
   *  batches (level-0 patches of a whole batch are hundreds of MB). */
  maxChunkFloats?: number;
}

/** 4 Mi floats (16 MB): measured as fast as one big product, at a fraction of the memory. */
const DEFAULT_CHUNK_FLOATS = 1 << 22;

/** Output size and front padding exactly as tf.conv3d computes them. */
export function convGeometry(
  xShape: readonly number[],
  kernelShape: readonly number[],
  stride: number,
  padding: 'same' | 'valid',
): ConvGeometry {
  const [batch, inD, inH, inW, cin] = xShape;
  const [k, kh, kw, kcin, cout] = kernelShape;
  if (kh !== k || kw !== k || kcin !== cin || !(stride >= 1)) {
    throw new AppError(
      'INTERNAL',
      `conv3dFast needs a cubic kernel over the input channels and stride ≥ 1, got input ` +
        `[${xShape}], kernel [${kernelShape}], stride ${stride}.`,
    );
  }
  if (padding === 'same') {
    // TF pads 'same' asymmetrically for even kernels or strides > 1; the V-Net never asks.
    if (stride !== 1 || k % 2 !== 1) {
      throw new AppError('INTERNAL', `conv3dFast 'same' needs stride 1 and an odd kernel.`);
    }
    const pad = (k - 1) / 2;
    return { batch, inD, inH, inW, cin, cout, k, stride, pad, outD: inD, outH: inH, outW: inW };
  }
  const out = (s: number) => Math.floor((s - k) / stride) + 1;
  if (out(inD) < 1 || out(inH) < 1 || out(inW) < 1) {
    throw new AppError('INTERNAL', `conv3dFast: input [${xShape}] is smaller than the kernel.`);
  }
  return {
    ...{ batch, inD, inH, inW, cin, cout, k, stride, pad: 0 },
    ...{ outD: out(inD), outH: out(inH), outW: out(inW) },
  };
}

/** a·b with `a` from JS memory; returns the product's values (a copy on 'wasm'). */
function matMulValues(a: Float32Array, aShape: [number, number], b: tf.Tensor2D): Float32Array {
  const at = tf.tensor2d(a, aShape);
  const y = tf.matMul(at, b);
  at.dispose();
  const values = y.dataSync() as Float32Array;
  y.dispose();
  return values;
}

function planesPerChunk(g: ConvGeometry, floatsPerRow: number, maxChunkFloats: number): number {
  const perPlane = planeRows(g) * floatsPerRow;
  return Math.max(1, Math.min(planeCount(g), Math.floor(maxChunkFloats / perPlane)));
}

/** Conv output [N·oD·oH·oW, cout]: per chunk of output planes, patches · kernel. */
function convValues(x: Float32Array, g: ConvGeometry, kernel: Float32Array, maxChunk: number) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const per = planesPerChunk(g, K, maxChunk);
  const out = new Float32Array(planeCount(g) * rpp * g.cout);
  const cols = new Float32Array(per * rpp * K);
  const w = tf.tensor2d(kernel, [K, g.cout]);
  try {
    for (let p0 = 0; p0 < planeCount(g); p0 += per) {
      const p1 = Math.min(p0 + per, planeCount(g));
      const rows = (p1 - p0) * rpp;
      im2col(x, g, p0, p1, cols);
      out.set(matMulValues(cols.subarray(0, rows * K), [rows, K], w), p0 * rpp * g.cout);
    }
  } finally {
    w.dispose();
  }
  return out;
}

/** dL/dkernel = patchesᵀ · dy, summed over chunks; patches are gathered already transposed
 *  because matMul's transposed-operand path on 'wasm' is ~10× slower than the plain one. */
function kernelGradValues(x: Float32Array, g: ConvGeometry, dy: Float32Array, maxChunk: number) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const per = planesPerChunk(g, K, maxChunk);
  const acc = new Float32Array(K * g.cout);
  const colsT = new Float32Array(per * rpp * K);
  for (let p0 = 0; p0 < planeCount(g); p0 += per) {
    const p1 = Math.min(p0 + per, planeCount(g));
    const rows = (p1 - p0) * rpp;
    im2colT(x, g, p0, p1, colsT);
    const dyChunk = tf.tensor2d(dy.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout), [rows, g.cout]);
    const part = matMulValues(colsT.subarray(0, rows * K), [K, rows], dyChunk);
    dyChunk.dispose();
    for (let i = 0; i < acc.length; i++) acc[i] += part[i];
  }
  return acc;
}

/** Stride 1: dL/dx is itself a stride-1 conv of dy with the spatially flipped kernel, its
 *  channel axes swapped and padding k−1−pad. That reuses the fast forward path and avoids a
 *  scatter-add over overlapping patches. */
function inputGradStride1(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  maxChunk: number,
) {
  const { k, cin, cout } = g;
  const flipped = new Float32Array(kernel.length);
  for (let t = 0; t < k * k * k; t++) {
    const src = (k * k * k - 1 - t) * cin * cout;
    for (let ci = 0; ci < cin; ci++) {
      for (let co = 0; co < cout; co++)
        flipped[(t * cout + co) * cin + ci] = kernel[src + ci * cout + co];
    }
  }
  const adjoint: ConvGeometry = {
    ...{ batch: g.batch, inD: g.outD, inH: g.outH, inW: g.outW, cin: cout, cout: cin, k },
    ...{ stride: 1, pad: k - 1 - g.pad, outD: g.inD, outH: g.inH, outW: g.inW },
  };
  return convValues(dy, adjoint, flipped, maxChunk);
}

/** Strided (down-sampling) conv: d patches = dy · kernelᵀ, scattered back by col2im. With
 *  k = stride the windows do not overlap and the scatter is a permutation. */
function inputGradStrided(
  dy: Float32Array,
  g: ConvGeometry,
  kernel: Float32Array,
  maxChunk: number,
) {
  const K = patchSize(g);
  const rpp = planeRows(g);
  const per = planesPerChunk(g, K, maxChunk);
  const kernelT = new Float32Array(K * g.cout);
  for (let r = 0; r < K; r++) {
    for (let co = 0; co < g.cout; co++) kernelT[co * K + r] = kernel[r * g.cout + co];
  }
  const dx = new Float32Array(g.batch * g.inD * g.inH * g.inW * g.cin);
  const wT = tf.tensor2d(kernelT, [g.cout, K]);
  try {
    for (let p0 = 0; p0 < planeCount(g); p0 += per) {
      const p1 = Math.min(p0 + per, planeCount(g));
      const rows = (p1 - p0) * rpp;
      const dyChunk = dy.subarray(p0 * rpp * g.cout, p1 * rpp * g.cout);
      col2imAdd(matMulValues(dyChunk, [rows, g.cout], wT), g, p0, p1, dx);
    }
  } finally {
    wT.dispose();
  }
  return dx;
}

function valuesOf(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') {
    throw new AppError('INTERNAL', `conv3dFast needs float32 tensors, got ${t.dtype}.`);
  }
  return t.dataSync() as Float32Array;
}

/**
 * Same result and gradients as tf.conv3d(x, kernel, stride, padding) (to float rounding), for
 * 'same' with stride 1 and an odd kernel, or 'valid' with any stride. kernel is
 * [k, k, k, cin, cout]. A tf.customGrad op: intermediates are freed inside, only x and the
 * kernel are kept for the backward pass, which gathers the patches again.
 */
export function conv3dFast(
  x: tf.Tensor5D,
  kernel: tf.Tensor5D,
  stride: number,
  padding: 'same' | 'valid',
  options: FastConvOptions = {},
): tf.Tensor5D {
  const g = convGeometry(x.shape, kernel.shape, stride, padding);
  const maxChunk = options.maxChunkFloats ?? DEFAULT_CHUNK_FLOATS;
  const op = tf.customGrad((xIn, kIn, save) => {
    const [xt, kt] = [xIn as tf.Tensor5D, kIn as tf.Tensor5D];
    (save as tf.GradSaveFunc)([xt, kt]);
    const y = convValues(valuesOf(xt), g, valuesOf(kt), maxChunk);
    return {
      value: tf.tensor5d(y, [g.batch, g.outD, g.outH, g.outW, g.cout]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ks] = saved;
        const [dyv, xv, kv] = [valuesOf(dy), valuesOf(xs), valuesOf(ks)];
        const dx =
          g.stride === 1
            ? inputGradStride1(dyv, g, kv, maxChunk)
            : inputGradStrided(dyv, g, kv, maxChunk);
        const dk = kernelGradValues(xv, g, dyv, maxChunk);
        return [tf.tensor(dx, xs.shape, 'float32'), tf.tensor(dk, ks.shape, 'float32')];
      },
    };
  });
  return op(x, kernel) as tf.Tensor5D;
}
