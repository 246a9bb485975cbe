// Small differentiable tensor helpers shared by the SimCVD losses (engine, TF.js, any backend).

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';

/**
 * Identity in the forward pass, zero gradient in the backward pass (PyTorch's `.detach()`): the
 * teacher side of every consistency/contrastive/distillation term goes through this, so no
 * gradient reaches the teacher even if its tensors were built from watched variables.
 */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...inputs) => {
  const x = inputs[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * x / max(‖x‖₂, eps) along `axis` (PyTorch `F.normalize`, eps 1e-12). The clamp is applied to
 * the squared norm so the gradient of an all-zero vector is 0 rather than NaN.
 */
export function l2Normalize(x: tf.Tensor, axis = -1, eps = 1e-12): tf.Tensor {
  return tf.tidy(() => {
    const squared = tf.sum(tf.square(x), axis, true);
    return tf.div(x, tf.sqrt(tf.maximum(squared, eps * eps)));
  });
}

/** Mean of the squared differences over every element. */
export function meanSquaredError(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  assertSameShape(a, b, 'mean squared error');
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)) as tf.Scalar);
}

export function assertSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((n, i) => n !== b.shape[i])) {
    throw new AppError(
      'BAD_INPUT',
      `${what}: tensor shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ; pass tensors of the same shape.`,
    );
  }
}

export function assertRank(x: tf.Tensor, rank: number, what: string, layout: string): void {
  if (x.rank !== rank) {
    throw new AppError(
      'BAD_INPUT',
      `${what}: expected a rank-${rank} tensor ${layout}, got shape [${x.shape.join(', ')}].`,
    );
  }
}
