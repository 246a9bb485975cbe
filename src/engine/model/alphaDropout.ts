// SELU-style alpha dropout (engine, TF.js) with exactly PyTorch's `nn.AlphaDropout` arithmetic,
// applied to the boundary-aware input of the SimCVD projection head.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import type { Rng } from '../../core/random';

/** SELU's λ·α, the saturation value dropped units are set towards (PyTorch's constant). */
export const ALPHA_DROPOUT_ALPHA = 1.7580993408473766;

export interface AlphaDropoutConstants {
  /** Multiplier of kept units: a = 1 / √((α²p + 1)(1 − p)). */
  scale: number;
  /** Added to kept units: α·a·p. */
  keptOffset: number;
  /** Value of dropped units: α·a·(p − 1). */
  droppedValue: number;
}

/**
 * The affine constants of alpha dropout at rate p, as PyTorch computes them: with keep mask m,
 * y = x·m·a + (m − 1)·α·a + α·a·p. They keep zero mean and unit variance for SELU activations.
 */
export function alphaDropoutConstants(p: number): AlphaDropoutConstants {
  checkRate(p);
  if (p === 1) return { scale: 0, keptOffset: 0, droppedValue: 0 };
  const scale = 1 / Math.sqrt((ALPHA_DROPOUT_ALPHA * ALPHA_DROPOUT_ALPHA * p + 1) * (1 - p));
  return {
    scale,
    keptOffset: ALPHA_DROPOUT_ALPHA * scale * p,
    droppedValue: ALPHA_DROPOUT_ALPHA * scale * (p - 1),
  };
}

/**
 * Element-wise alpha dropout at rate p in training (identity when `training` is false or p = 0;
 * zeros when p = 1, as PyTorch). The keep mask is drawn from `rng` (Bernoulli 1 − p per element),
 * so a run is reproducible; gradients flow to x through the kept units.
 */
export function alphaDropout(x: tf.Tensor, p: number, rng: Rng, training = true): tf.Tensor {
  checkRate(p);
  if (!training || p === 0) return tf.clone(x);
  if (p === 1) return tf.mul(x, 0);
  const { scale, keptOffset, droppedValue } = alphaDropoutConstants(p);
  const multiplier = new Float32Array(x.size);
  const offset = new Float32Array(x.size);
  for (let v = 0; v < x.size; v++) {
    const keep = rng.next() < 1 - p;
    multiplier[v] = keep ? scale : 0;
    offset[v] = keep ? keptOffset : droppedValue;
  }
  return tf.tidy(() =>
    tf.add(tf.mul(x, tf.tensor(multiplier, x.shape)), tf.tensor(offset, x.shape)),
  );
}

function checkRate(p: number): void {
  if (!(p >= 0 && p <= 1)) {
    throw new AppError('BAD_INPUT', `Alpha dropout: the rate must be in [0, 1], got ${p}.`);
  }
}
