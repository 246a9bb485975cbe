// Adaptive average pooling of 2-D slices (engine, TF.js), with PyTorch's `adaptive_avg_pool2d`
// windows: output cell o of O averages input cells [⌊o·I/O⌋, ⌈(o+1)·I/O⌉) — also when I is
// not a multiple of O and when O > I (up-sampling, as 112 → 128 in SimCVD).

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { assertRank } from '../losses/tensorOps';

/** The [outSize, inSize] averaging matrix of 1-D adaptive average pooling (rows sum to 1). */
export function adaptiveAvgPoolMatrix(inSize: number, outSize: number): Float32Array {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new AppError(
      'BAD_INPUT',
      `Adaptive pooling: sizes must be positive integers, got input ${inSize}, output ${outSize}.`,
    );
  }
  const matrix = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const start = Math.floor((o * inSize) / outSize);
    const end = Math.ceil(((o + 1) * inSize) / outSize);
    for (let i = start; i < end; i++) matrix[o * inSize + i] = 1 / (end - start);
  }
  return matrix;
}

/**
 * `[B, H, W]` → `[B, outH, outW]`. Adaptive average pooling is separable (each window is a
 * rectangle, the weight a product of row and column weights), so it is two matrix products —
 * cheap and differentiable in any backend.
 */
export function adaptiveAvgPool2d(
  x: tf.Tensor,
  outSize: [outH: number, outW: number],
): tf.Tensor3D {
  assertRank(x, 3, 'Adaptive pooling', '[slices, H, W]');
  const [b, h, w] = x.shape;
  const [outH, outW] = outSize;
  return tf.tidy(() => {
    const rowsT = tf.tensor2d(adaptiveAvgPoolMatrix(h, outH), [outH, h]).transpose();
    const colsT = tf.tensor2d(adaptiveAvgPoolMatrix(w, outW), [outW, w]).transpose();
    const alongW = tf.matMul(tf.reshape(x, [b * h, w]), colsT); // [B·H, outW]
    const swapped = tf.transpose(tf.reshape(alongW, [b, h, outW]), [0, 2, 1]); // [B, outW, H]
    const alongH = tf.matMul(tf.reshape(swapped, [b * outW, h]), rowsT); // [B·outW, outH]
    return tf.transpose(tf.reshape(alongH, [b, outW, outH]), [0, 2, 1]) as tf.Tensor3D;
  });
}
