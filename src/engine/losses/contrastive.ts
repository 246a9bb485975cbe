// SimCVD slice-wise contrastive loss L_contrast (engine, TF.js): symmetric InfoNCE between the
// student's and the teacher's projection-head embeddings of the same unlabeled slices.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { assertRank, assertSameShape, l2Normalize, stopGradient } from './tensorOps';

export interface ContrastiveLossOptions {
  /** τ [P]. */
  temperature?: number;
}

/**
 * Inputs are `[M, d]` embeddings, M = unlabeled volumes × slices, row r of both being the same
 * slice of the same volume (`projectionHeadForward`'s order). With z normalised to unit length,
 * the matrix used is S = ẑ_student · ẑ_teacherᵀ / τ (M × M, student rows, teacher columns):
 * - student → teacher: for each row r, −log softmax_row(S)[r, r] — the positive is the teacher's
 *   embedding of the same slice, the negatives are the teacher's embeddings of all other slices
 *   of all unlabeled volumes in the batch (same volume and other volumes);
 * - teacher → student: the same on the columns of S (anchor: teacher slice; candidates: all
 *   student slices).
 * L = ½ (mean over rows + mean over columns). Only cross-network pairs are compared (no
 * student–student negatives). The teacher side is stop-gradient, so both directions send
 * gradient into the student only.
 */
export function contrastiveLoss(
  studentEmb: tf.Tensor,
  teacherEmb: tf.Tensor,
  options: ContrastiveLossOptions = {},
): tf.Scalar {
  const { temperature = 0.5 } = options;
  if (!(temperature > 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Contrastive loss: temperature must be > 0, got ${temperature}.`,
    );
  }
  assertRank(studentEmb, 2, 'Contrastive loss', '[slices, width]');
  assertSameShape(studentEmb, teacherEmb, 'Contrastive loss');
  return tf.tidy(() => {
    const s = l2Normalize(studentEmb, -1);
    const t = stopGradient(l2Normalize(teacherEmb, -1));
    const logits = tf.div(tf.matMul(s, t, false, true), temperature);
    const eye = tf.eye(studentEmb.shape[0]);
    const rowTerm = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, 1), eye), 1)));
    // Columns of S are the rows of Sᵀ (logSoftmax supports only the last axis).
    const colTerm = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.transpose(logits), 1), eye), 1)));
    return tf.mul(tf.add(rowTerm, colTerm), 0.5) as tf.Scalar;
  });
}
