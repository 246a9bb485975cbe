// Mean-teacher consistency for SimCVD (engine, TF.js): MSE between student and teacher softmax
// probabilities on unlabeled inputs, and the clamped Gaussian input noise each network sees.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { createRng, type Rng } from '../../core/random';
import { assertSameShape, meanSquaredError, stopGradient } from './tensorOps';

/**
 * L_con = mean over every voxel and class of (p_student − p_teacher)² — the mean-teacher MSE
 * (UA-MT's `softmax_mse_loss`). The teacher is stop-gradient. With a `mask` ([…, 1], 1 = keep)
 * the mean runs over the kept voxels only, as UA-MT's uncertainty-aware form:
 * Σ mask·(s − t)² / (K·Σ mask + 1e-16); an all-zero mask gives 0.
 */
export function consistencyLoss(
  studentProbs: tf.Tensor,
  teacherProbs: tf.Tensor,
  mask?: tf.Tensor,
): tf.Scalar {
  if (!mask) return tf.tidy(() => meanSquaredError(studentProbs, stopGradient(teacherProbs)));
  return tf.tidy(() => {
    assertSameShape(studentProbs, teacherProbs, 'consistency');
    const classes = studentProbs.shape[studentProbs.rank - 1]!;
    const squared = tf.squaredDifference(studentProbs, stopGradient(teacherProbs));
    const kept = stopGradient(mask);
    return tf.div(
      tf.sum(tf.mul(squared, kept)),
      tf.add(tf.mul(tf.sum(kept), classes), 1e-16),
    ) as tf.Scalar;
  });
}

/**
 * UA-MT's entropy threshold at `progress` Ψ_raw ∈ [0, 1] of its ramp: (0.75 + 0.25·Ψ_raw)·ln K,
 * so a quarter of the way below the most uncertain a K-class prediction can be, rising to all of
 * it (every voxel kept) at the end of the ramp.
 */
export function uncertaintyThreshold(progress: number, classes: number): number {
  return (0.75 + 0.25 * progress) * Math.log(classes);
}

/**
 * UA-MT's certainty mask: 1 where the entropy −Σ_k p̄_k ln(p̄_k + 1e-6) of the teacher's mean
 * probabilities p̄ (over its Monte-Carlo passes, dropout and noise on) is below `threshold`.
 * `passes` is [T][…, K] or one […, K] tensor (a single pass: the teacher's own prediction).
 */
export function certaintyMask(passes: tf.Tensor | tf.Tensor[], threshold: number): tf.Tensor {
  return tf.tidy(() => {
    const all = Array.isArray(passes) ? passes : [passes];
    const mean = all.length === 1 ? all[0]! : tf.div(tf.addN(all), all.length);
    const entropy = tf.neg(tf.sum(tf.mul(mean, tf.log(tf.add(mean, 1e-6))), -1, true));
    return tf.cast(tf.less(entropy, threshold), 'float32');
  });
}

export interface InputNoiseOptions {
  /** Standard deviation of the Gaussian [B]. */
  std?: number;
  /** Symmetric clamp bound [B]. */
  clip?: number;
}

/**
 * clamp(N(0, std²), ±clip) with UA-MT's std 0.1 and clip 0.2, drawn from a seeded generator so a
 * run is reproducible. Draw one per network: the student and the teacher get independent noise.
 */
export function sampleInputNoise(
  shape: number[],
  seedOrRng: number | Rng,
  options: InputNoiseOptions = {},
): tf.Tensor {
  const { std = 0.1, clip = 0.2 } = options;
  if (!(std >= 0) || !(clip >= 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Input noise: std and clip must be non-negative numbers, got std ${std}, clip ${clip}.`,
    );
  }
  const rng = typeof seedOrRng === 'number' ? createRng(seedOrRng) : seedOrRng;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let v = 0; v < size; v++) values[v] = Math.min(clip, Math.max(-clip, rng.normal() * std));
  return tf.tensor(values, shape, 'float32');
}
