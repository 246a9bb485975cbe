// BatchNorm with batch statistics as one kernel (engine, wherever TF.js runs) for the CPU-side
// backends. Built from tf ops (moments, sub, mul, add and their gradients) it takes about a
// dozen passes over the activations, each a slow broadcast or reduction on 'wasm'; here the
// forward is three passes and the backward four, with float64 channel sums. The passes run on
// the compute pool (pooledPasses.ts over kernels/cpu: WebAssembly, setComputeThreads() threads, sums in
// fixed row blocks) or, for odd channel counts or without WebAssembly threads, in the
// JavaScript loops below.
import * as tf from '@tensorflow/tfjs';
import { pooledChannelPasses, type ChannelPasses, type Coefficients } from './pooledPasses';

/** Registered for 'cpu' and 'wasm' (tf.profile reports BatchNorm under this name). */
export const FUSED_BATCH_NORM_KERNEL = 'SimcvdBatchNormTrain';
const KERNEL_NAME = FUSED_BATCH_NORM_KERNEL;
const BACKENDS = ['wasm', 'cpu'] as const;

let fusedEnabled = true;

/** Benchmarks and A/B checks: false sends BatchNorm back to tf ops. */
export function enableFusedBatchNorm(enabled: boolean): void {
  fusedEnabled = enabled;
}

/** Whether batchNorm should use fusedBatchNormTrain on this backend; tfjs-node keeps tf ops. */
export function prefersFusedBatchNorm(backendName: string): boolean {
  return fusedEnabled && (BACKENDS as readonly string[]).includes(backendName);
}

// The loops below walk the channels-last data one group of four channels at a time: V8 then
// keeps the four running values in registers, 2–3× faster than indexing an accumulator array
// per value. Channels beyond the last full group (c % 4) take a plain strided loop.

/** Σ over rows of (x[row, j] − centre[j])^power per channel, power 1 or 2. */
function channelSums(x: Float32Array, c: number, centre: Float64Array, power: 1 | 2) {
  const out = new Float64Array(c);
  const c4 = c - (c % 4);
  for (let j = 0; j < c4; j += 4) {
    const m0 = centre[j];
    const m1 = centre[j + 1];
    const m2 = centre[j + 2];
    const m3 = centre[j + 3];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = j; i < x.length; i += c) {
      const d0 = x[i] - m0;
      const d1 = x[i + 1] - m1;
      const d2 = x[i + 2] - m2;
      const d3 = x[i + 3] - m3;
      s0 += power === 2 ? d0 * d0 : d0;
      s1 += power === 2 ? d1 * d1 : d1;
      s2 += power === 2 ? d2 * d2 : d2;
      s3 += power === 2 ? d3 * d3 : d3;
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (let j = c4; j < c; j++) {
    for (let i = j; i < x.length; i += c) out[j] += (x[i] - centre[j]) ** power;
  }
  return out;
}

/** Σ over rows of dy and of dy·(x − mean), per channel. */
function gradientSums(x: Float32Array, dy: Float32Array, c: number, mean: Float64Array) {
  const sumDy = channelSums(dy, c, new Float64Array(c), 1);
  const sumDyX = new Float64Array(c);
  const c4 = c - (c % 4);
  for (let j = 0; j < c4; j += 4) {
    const m0 = mean[j];
    const m1 = mean[j + 1];
    const m2 = mean[j + 2];
    const m3 = mean[j + 3];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = j; i < x.length; i += c) {
      s0 += dy[i] * (x[i] - m0);
      s1 += dy[i + 1] * (x[i + 1] - m1);
      s2 += dy[i + 2] * (x[i + 2] - m2);
      s3 += dy[i + 3] * (x[i + 3] - m3);
    }
    sumDyX[j] = s0;
    sumDyX[j + 1] = s1;
    sumDyX[j + 2] = s2;
    sumDyX[j + 3] = s3;
  }
  for (let j = c4; j < c; j++) {
    for (let i = j; i < x.length; i += c) sumDyX[j] += dy[i] * (x[i] - mean[j]);
  }
  return { sumDy, sumDyX };
}

/** out = a·u + b·(x − mean) + e per channel, the form of both y (u = 0) and dx (u = dy). */
function affine(
  x: Float32Array,
  u: Float32Array,
  c: number,
  mean: Float64Array,
  { a, b, e }: Coefficients,
): Float32Array {
  const out = new Float32Array(x.length);
  const c4 = c - (c % 4);
  for (let j = 0; j < c4; j += 4) {
    const [m0, m1, m2, m3] = [mean[j], mean[j + 1], mean[j + 2], mean[j + 3]];
    const [a0, a1, a2, a3] = [a[j], a[j + 1], a[j + 2], a[j + 3]];
    const [b0, b1, b2, b3] = [b[j], b[j + 1], b[j + 2], b[j + 3]];
    const [e0, e1, e2, e3] = [e[j], e[j + 1], e[j + 2], e[j + 3]];
    for (let i = j; i < x.length; i += c) {
      out[i] = a0 * u[i] + b0 * (x[i] - m0) + e0;
      out[i + 1] = a1 * u[i + 1] + b1 * (x[i + 1] - m1) + e1;
      out[i + 2] = a2 * u[i + 2] + b2 * (x[i + 2] - m2) + e2;
      out[i + 3] = a3 * u[i + 3] + b3 * (x[i + 3] - m3) + e3;
    }
  }
  for (let j = c4; j < c; j++) {
    for (let i = j; i < x.length; i += c) out[i] = a[j] * u[i] + b[j] * (x[i] - mean[j]) + e[j];
  }
  return out;
}

interface ChannelStats {
  mean: Float64Array;
  /** Biased (population) variance, as PyTorch normalises with. */
  variance: Float64Array;
  invStd: Float64Array;
}

function jsChannelPasses(x: Float32Array, c: number, dy?: Float32Array): ChannelPasses {
  return {
    sums: (centre) => channelSums(x, c, centre ?? new Float64Array(c), centre ? 2 : 1),
    gradientSums: (mean) => gradientSums(x, dy!, c, mean),
    affine: (mean, coefficients, withDy) => affine(x, withDy ? dy! : x, c, mean, coefficients),
    release: () => {},
  };
}

let pooledEnabled = true;

/** Benchmarks and A/B checks: false runs the passes in the JavaScript loops. */
export function enablePooledBatchNorm(enabled: boolean): void {
  pooledEnabled = enabled;
}

/** The passes over x (and dy) on the compute pool where it takes them, else in JavaScript;
 *  runs `f` with them and frees them. */
function withPasses<T>(
  x: Float32Array,
  c: number,
  dy: Float32Array | undefined,
  f: (p: ChannelPasses) => T,
): T {
  const passes = (pooledEnabled && pooledChannelPasses(x, c, dy)) || jsChannelPasses(x, c, dy);
  try {
    return f(passes);
  } finally {
    passes.release();
  }
}

/** Two passes (mean, then squared deviations) in float64: no cancellation for large means. */
function channelStats(passes: ChannelPasses, rows: number, epsilon: number): ChannelStats {
  const mean = passes.sums(null).map((s) => s / rows);
  const variance = passes.sums(mean).map((s) => s / rows);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + epsilon));
  return { mean, variance, invStd };
}

function normalize(
  passes: ChannelPasses,
  s: ChannelStats,
  gamma: Float32Array,
  beta: Float32Array,
): Float32Array {
  const c = gamma.length;
  const b = Float64Array.from(gamma, (g, j) => g * s.invStd[j]);
  // y = 0·x + b·(x − mean) + β: u = x with a = 0 keeps one loop for both directions.
  return passes.affine(s.mean, { a: new Float64Array(c), b, e: Float64Array.from(beta) }, false);
}

/**
 * With x̂ = (x − mean)·invStd: dβ = Σ dy, dγ = Σ dy·x̂ and
 * dx = γ·invStd·(dy − dβ/M − x̂·dγ/M), plus the terms of gradients arriving at the returned
 * mean and variance (none in training, where they only feed the moving averages).
 */
function gradients(
  x: Float32Array,
  dy: Float32Array,
  gamma: Float32Array,
  epsilon: number,
  dMean: Float32Array | null,
  dVariance: Float32Array | null,
) {
  const c = gamma.length;
  const rows = x.length / c;
  return withPasses(x, c, dy, (passes) => {
    const s = channelStats(passes, rows, epsilon);
    const { sumDy, sumDyX } = passes.gradientSums(s.mean);
    const dGamma = sumDyX.map((v, j) => v * s.invStd[j]);
    const a = Float64Array.from(gamma, (g, j) => g * s.invStd[j]);
    const b = a.map(
      (aj, j) =>
        (-aj * dGamma[j] * s.invStd[j]) / rows + (dVariance ? (2 * dVariance[j]) / rows : 0),
    );
    const e = a.map((aj, j) => (-aj * sumDy[j]) / rows + (dMean ? dMean[j] / rows : 0));
    const dx = passes.affine(s.mean, { a, b, e }, true);
    return { dx, dGamma: Float32Array.from(dGamma), dBeta: Float32Array.from(sumDy) };
  });
}

function valuesOf(t: tf.TensorInfo): Float32Array {
  return tf.engine().readSync(t.dataId) as Float32Array;
}

function forwardKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }) {
  const { x, gamma, beta } = args.inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const epsilon = args.attrs!.epsilon as number;
  const [rows, c] = x.shape;
  const { y, s } = withPasses(valuesOf(x), c, undefined, (passes) => {
    const stats = channelStats(passes, rows, epsilon);
    return { y: normalize(passes, stats, valuesOf(gamma), valuesOf(beta)), s: stats };
  });
  return [
    tf.tensor2d(y, [rows, c]),
    tf.tensor1d(Float32Array.from(s.mean)),
    tf.tensor1d(Float32Array.from(s.variance)),
  ];
}

function gradient(dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) {
  const [dy, dMean, dVariance] = dys as (tf.Tensor | null)[];
  const [x, gamma] = saved;
  let result: ReturnType<typeof gradients> | undefined;
  const all = () =>
    (result ??= gradients(
      valuesOf(x),
      dy ? valuesOf(dy) : new Float32Array(x.size),
      valuesOf(gamma),
      attrs.epsilon as number,
      dMean ? valuesOf(dMean) : null,
      dVariance ? valuesOf(dVariance) : null,
    ));
  return {
    x: () => tf.tensor(all().dx, x.shape),
    gamma: () => tf.tensor(all().dGamma, gamma.shape),
    beta: () => tf.tensor(all().dBeta, gamma.shape),
  };
}

function registerOnce(): void {
  for (const backendName of BACKENDS) {
    if (tf.getKernel(KERNEL_NAME, backendName) == null) {
      tf.registerKernel({ kernelName: KERNEL_NAME, backendName, kernelFunc: forwardKernel });
    }
  }
  if (tf.getGradient(KERNEL_NAME) == null) {
    // The statistics are recomputed from x in the backward pass (two cheap passes) rather
    // than saved, so the gradient sees exactly the forward's float64 values.
    tf.registerGradient({
      kernelName: KERNEL_NAME,
      inputsToSave: ['x', 'gamma'],
      gradFunc: gradient,
    });
  }
}

registerOnce();

/**
 * Training-mode BatchNorm over the rows of x [voxels, C]: y = (x − mean)·γ/√(var + ε) + β with
 * the batch mean and biased variance, which are returned for the moving averages. Gradients
 * reach x (through the statistics too), γ and β. 'cpu' and 'wasm' backends only.
 */
export function fusedBatchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const [y, mean, variance] = tf
    .engine()
    .runKernel(KERNEL_NAME, { x, gamma, beta }, { epsilon }) as tf.Tensor[];
  return { y: y as tf.Tensor2D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
