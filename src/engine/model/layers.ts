// V-Net building blocks (engine, runs wherever TF.js runs): conv, BatchNorm with moving
// statistics, exact k=2 s=2 transposed-conv up-sampling, channel-wise dropout. Tensors are
// channels-last [N, D, H, W, C]; every op here has a registered gradient in tfjs 4.22.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { conv3dFast, prefersMatMulConv3d } from '../kernels/conv/fastConv';
import { fusedBatchNormTrain, prefersFusedBatchNorm } from '../kernels/batchNorm/fusedBatchNorm';
import { conv3dVol2Col, vol2colApplies } from '../kernels/webgpu';

export type BnMode = 'batch' | 'moving';

export interface BnParams {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVariance: tf.Variable;
}

export interface BnOptions {
  mode: BnMode;
  /** Fold this batch's statistics into the moving averages (student training only). */
  updateMoving: boolean;
  /** PyTorch convention: moving = (1 − momentum)·moving + momentum·batch. */
  momentum: number;
  epsilon: number;
}

/**
 * Per-channel op on the [voxels, C] view of a channels-last tensor. On 'wasm', reducing a rank-5
 * tensor over N, D, H, W (tf.moments, and the bias/γ/β gradients of broadcast adds and
 * multiplies) runs a rank-5 transpose at ~100 ns per value: ~0.3 s per level-0 batch, which
 * dominated a training step. On the 2-D view the same reductions take ~10 ms.
 */
function perChannel(x: tf.Tensor5D, f: (x2d: tf.Tensor2D) => tf.Tensor2D): tf.Tensor5D {
  const [n, d, h, w, c] = x.shape;
  const y = f(tf.reshape(x, [n * d * h * w, c]));
  return tf.reshape(y, [n, d, h, w, y.shape[1]]);
}

/** x + bias per channel; see perChannel for why on the 2-D view. */
function addBias(x: tf.Tensor5D, bias: tf.Tensor): tf.Tensor5D {
  return perChannel(x, (x2d) => tf.add(x2d, bias));
}

/** 1×1×1 conv as a matrix product: same result as conv3d, far cheaper on the CPU backends. */
export function pointwiseConv(x: tf.Tensor5D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor5D {
  const [n, d, h, w, cin] = x.shape;
  const cout = kernel.shape[kernel.shape.length - 1] as number;
  const flat = tf.matMul(tf.reshape(x, [n * d * h * w, cin]), tf.reshape(kernel, [cin, cout]));
  return tf.reshape(tf.add(flat, bias), [n, d, h, w, cout]);
}

/** k×k×k conv, stride 1 with 'same' padding (k=3, pad 1) or stride k 'valid' (down-sampling).
 *  On 'cpu' and 'wasm' it runs the matMul-based conv3dFast (their Conv3D kernels are slow, and
 *  the wasm backprop kernels of tfjs 4.22 are wrong); on 'webgpu' the vol2col + tiled matMul
 *  path (its Conv3D kernels are naive loops); tfjs-node keeps its native conv3d. */
export function conv(
  x: tf.Tensor5D,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  stride: 1 | 2,
): tf.Tensor5D {
  if (kernel.shape[0] === 1) return pointwiseConv(x, kernel, bias);
  const padding = stride === 1 ? 'same' : 'valid';
  const backend = tf.getBackend();
  const y = prefersMatMulConv3d(backend)
    ? conv3dFast(x, kernel as tf.Tensor5D, stride, padding)
    : backend === 'webgpu' && vol2colApplies(x, kernel, stride)
      ? conv3dVol2Col(x, kernel as tf.Tensor5D, stride)
      : tf.conv3d(x, kernel as tf.Tensor5D, stride, padding);
  return addBias(y, bias);
}

/**
 * Exact equivalent of tf.conv3dTranspose(x, kernel, ·, 2, 'valid') + bias for a k=2 s=2 kernel
 * in conv3dTranspose's layout [2, 2, 2, out, in]. The 2×2×2 output windows do not overlap, so
 * the transposed conv is a 1×1×1 conv to 8·out channels ordered (a, b, c, out) followed by a
 * depth-to-space on D, H and W. conv3dTranspose itself has no gradient in tfjs 4.22; this
 * path uses matMul, reshape and two rank-4 transposes, all differentiable (one rank-6
 * transpose would do, but on 'wasm' it is ~20× slower than the two).
 */
export function upsample2x(x: tf.Tensor5D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor5D {
  const [n, d, h, w, cin] = x.shape;
  const cout = kernel.shape[3] as number;
  const asPointwise = tf.reshape(tf.transpose(kernel, [4, 0, 1, 2, 3]), [cin, 8 * cout]);
  const y = tf.matMul(tf.reshape(x, [n * d * h * w, cin]), asPointwise);
  // Rows are (n, d, h, w), columns (a, b, c, o): bring a next to d, b next to h, c next to w.
  // (n·d, h·w, a, b·c·o) → (n·d, a, h·w, b·c·o), then (n·d·a·h, w, b, c·o) → (…, b, w, c·o).
  const aFirst = tf.transpose(tf.reshape(y, [n * d, h * w, 2, 4 * cout]), [0, 2, 1, 3]);
  const interleaved = tf.transpose(
    tf.reshape(aFirst, [n * d * 2 * h, w, 2, 2 * cout]),
    [0, 2, 1, 3],
  );
  return addBias(tf.reshape(interleaved, [n, 2 * d, 2 * h, 2 * w, cout]), bias);
}

/** BatchNorm over N, D, H, W per channel; gradients flow through the batch statistics. With
 *  batch statistics on 'cpu' and 'wasm' it is one JavaScript kernel (fusedBatchNorm.ts). */
export function batchNorm(x: tf.Tensor5D, bn: BnParams, options: BnOptions): tf.Tensor5D {
  if (options.mode === 'moving') {
    const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(bn.movingVariance, options.epsilon)));
    return perChannel(x, (x2d) => tf.add(tf.mul(tf.sub(x2d, bn.movingMean), scale), bn.beta));
  }
  const [n, d, h, w] = x.shape;
  const count = n * d * h * w;
  if (count < 2) {
    throw new AppError(
      'BAD_INPUT',
      `BatchNorm with batch statistics needs more than one value per channel, but a feature map ` +
        `is ${n}×${d}×${h}×${w}. Use a larger patch or batch, or fewer down-sampling stages.`,
    );
  }
  return perChannel(x, (x2d) => {
    if (prefersFusedBatchNorm(tf.getBackend())) {
      const { y, mean, variance } = fusedBatchNormTrain(x2d, bn.gamma, bn.beta, options.epsilon);
      if (options.updateMoving) updateMovingStats(bn, mean, variance, count, options.momentum);
      return y;
    }
    const { mean, variance } = tf.moments(x2d, 0);
    if (options.updateMoving) updateMovingStats(bn, mean, variance, count, options.momentum);
    const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(variance, options.epsilon)));
    return tf.add(tf.mul(tf.sub(x2d, mean), scale), bn.beta);
  });
}

/** PyTorch stores the unbiased variance (n / (n − 1)) in the running average. These ops are
 *  off the loss path, so gradient tapes never reach them. */
function updateMovingStats(
  bn: BnParams,
  mean: tf.Tensor,
  variance: tf.Tensor,
  count: number,
  momentum: number,
): void {
  tf.tidy(() => {
    const batchVar = tf.mul(variance, count / (count - 1));
    bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, 1 - momentum), tf.mul(mean, momentum)));
    bn.movingVariance.assign(
      tf.add(tf.mul(bn.movingVariance, 1 - momentum), tf.mul(batchVar, momentum)),
    );
  });
}

/**
 * Channel-wise dropout (PyTorch's Dropout3d): one keep/drop decision per (sample, channel),
 * shared by all voxels, survivors scaled by 1 / (1 − rate). The mask broadcasts in a multiply,
 * so no tile (which has no gradient above rank 4) is involved.
 */
export function channelDropout(x: tf.Tensor5D, rate: number, seed?: number): tf.Tensor5D {
  if (rate <= 0) return x;
  const [n, , , , c] = x.shape;
  return tf.dropout(x, rate, [n, 1, 1, 1, c], seed) as tf.Tensor5D;
}
