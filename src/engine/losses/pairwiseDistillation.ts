// SimCVD pair-wise structural distillation L_pd, Eq. 4 (engine, TF.js): per unlabeled volume,
// InfoNCE over bottleneck positions with cosine similarity and no temperature.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { assertSameShape, l2Normalize, stopGradient } from './tensorOps';

export interface PairwiseDistillationOptions {
  /**
   * How the per-position terms of one volume combine: 'sum' as Eq. 4 [P] (default), or 'mean'
   * (sum / positions), which keeps the loss scale independent of the bottleneck size.
   */
  reduction?: 'sum' | 'mean';
}

/**
 * Bottleneck features `[N, d, h, w, C]` (channels-last) of the student and the teacher for the
 * same N unlabeled volumes. For volume n with P = d·h·w positions, s_j and t_k the channel
 * vectors at positions j and k:
 *   L_n = Σ_j −log( exp(cos(s_j, t_j)) / Σ_k exp(cos(s_j, t_k)) ),
 * and the loss is the mean of L_n over volumes. Teacher side stop-gradient. Because cosines lie
 * in [−1, 1] the term never reaches 0: with s = t and mutually orthogonal positions each
 * position contributes log(1 + (P − 1)/e) (≈ 4.51 for P = 245, so ≈ 1104 per volume summed).
 * An all-zero feature vector has cosine 0 with everything (no NaN).
 */
export function pairwiseDistillationLoss(
  studentBottleneck: tf.Tensor,
  teacherBottleneck: tf.Tensor,
  options: PairwiseDistillationOptions = {},
): tf.Scalar {
  const { reduction = 'sum' } = options;
  assertSameShape(studentBottleneck, teacherBottleneck, 'Pair-wise distillation');
  if (studentBottleneck.rank < 3) {
    throw new AppError(
      'BAD_INPUT',
      `Pair-wise distillation: expected [N, ...positions, C] features, got shape [${studentBottleneck.shape.join(', ')}].`,
    );
  }
  const shape = studentBottleneck.shape;
  const volumes = shape[0];
  const channels = shape[shape.length - 1];
  const positions = studentBottleneck.size / (volumes * channels);
  return tf.tidy(() => {
    const s = l2Normalize(tf.reshape(studentBottleneck, [volumes, positions, channels]), -1);
    const t = stopGradient(
      l2Normalize(tf.reshape(teacherBottleneck, [volumes, positions, channels]), -1),
    );
    const cos = tf.matMul(s, t, false, true); // [N, P, P]: row j = student position j
    const diagonal = tf.sum(tf.mul(tf.logSoftmax(cos, -1), tf.eye(positions)), [1, 2]); // [N]
    const perVolume = tf.neg(diagonal);
    const reduced = reduction === 'mean' ? tf.div(perVolume, positions) : perVolume;
    return tf.mean(reduced) as tf.Scalar;
  });
}
