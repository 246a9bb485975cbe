// Mean-teacher consistency for SimCVD (engine, TF.js): MSE between student and teacher softmax
// probabilities on unlabeled inputs, and the clamped Gaussian input noise each network sees.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { createRng, type Rng } from '../../core/random';
import { meanSquaredError, stopGradient } from './tensorOps';

/**
 * L_con = mean over every voxel and class of (p_student − p_teacher)² — the mean-teacher MSE
 * (UA-MT's `softmax_mse_loss` averaged without the uncertainty mask). The teacher is
 * stop-gradient.
 */
export function consistencyLoss(studentProbs: tf.Tensor, teacherProbs: tf.Tensor): tf.Scalar {
  return tf.tidy(() => meanSquaredError(studentProbs, stopGradient(teacherProbs)));
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
