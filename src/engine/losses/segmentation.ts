// Supervised SimCVD losses on the labeled sub-batch (engine, TF.js): Dice + cross-entropy on the
// segmentation head and MSE on the signed-distance head, combined as UA-MT/DTC do. Each term
// takes optional per-voxel weights (1 = annotated, 0 = unknown) for partially labeled studies:
// unknown voxels then count for nothing, as nnU-Net v2's ignore label does.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { assertSameShape, meanSquaredError } from './tensorOps';
import { DEFAULT_SUPERVISED_LOSS_WEIGHTS, type SupervisedLossWeights } from './weights';

export interface DiceLossOptions {
  /** Added to numerator and denominator, as UA-MT's `dice_loss` [B]. */
  smooth?: number;
  /**
   * Average over foreground classes 1..K−1 only (default true). With 2 classes that is class 1
   * alone, exactly UA-MT's `dice_loss(outputs_soft[:, 1], label == 1)` [B]; false averages over
   * all K classes including background.
   */
  foregroundOnly?: boolean;
}

/**
 * Soft Dice loss per class c: 1 − (2Σ p·g + smooth) / (Σ p² + Σ g² + smooth), where the sums run
 * over every voxel of every batch item together (the whole labeled sub-batch, not per item),
 * then averaged over the selected classes. `probs` and `oneHot` are channels-last
 * `[N, D, H, W, K]` (any rank ≥ 2 with classes last).
 */
export function diceLoss(
  probs: tf.Tensor,
  oneHot: tf.Tensor,
  options: DiceLossOptions = {},
  /** `[…, 1]` voxel weights: prediction and target are both masked by them. */
  weights?: tf.Tensor,
): tf.Scalar {
  const { smooth = 1e-5, foregroundOnly = true } = options;
  assertSameShape(probs, oneHot, 'Dice loss');
  const classes = probs.shape[probs.rank - 1];
  if (foregroundOnly && classes < 2) {
    throw new AppError(
      'BAD_INPUT',
      `Dice loss: foregroundOnly needs at least 2 classes, got ${classes}; pass foregroundOnly: false.`,
    );
  }
  return tf.tidy(() => {
    // A [voxels, classes] view: reducing axis 0 of a 2-D tensor avoids the 5-D transpose that
    // multi-axis sums cost on the wasm backend.
    let p = tf.reshape(probs, [-1, classes]);
    let g = tf.reshape(oneHot, [-1, classes]);
    if (weights) {
      const w = tf.reshape(weights, [-1, 1]);
      p = tf.mul(p, w);
      g = tf.mul(g, w);
    }
    const intersect = tf.sum(tf.mul(p, g), 0);
    const predSum = tf.sum(tf.square(p), 0);
    const targetSum = tf.sum(tf.square(g), 0);
    const dice = tf.div(
      tf.add(tf.mul(intersect, 2), smooth),
      tf.add(tf.add(predSum, targetSum), smooth),
    );
    const perClass = tf.sub(1, dice);
    const selected = foregroundOnly ? tf.slice(perClass, [1], [classes - 1]) : perClass;
    return tf.mean(selected) as tf.Scalar;
  });
}

/**
 * Softmax cross-entropy averaged over voxels (PyTorch `F.cross_entropy`, mean reduction).
 * `labels` is either one-hot/probabilities of the logits' shape or integer class indices with
 * the logits' shape minus the class axis. With `weights` (`[…, 1]`, 0 or 1) the mean runs over
 * the weighted voxels only: `ignore_index` semantics.
 */
export function crossEntropyLoss(
  logits: tf.Tensor,
  labels: tf.Tensor,
  weights?: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1];
    const target =
      labels.rank === logits.rank - 1
        ? tf.oneHot(tf.cast(labels, 'int32'), classes).toFloat()
        : labels;
    assertSameShape(logits, target, 'cross-entropy loss');
    const perVoxel = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
    if (!weights) return tf.mean(perVoxel) as tf.Scalar;
    return weightedMean(tf.reshape(perVoxel, [-1]), tf.reshape(weights, [-1]));
  });
}

/** Σ w·x / Σ w over voxels (0 when no voxel has weight: nothing to learn from). */
function weightedMean(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(values, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}

/**
 * MSE between the tanh SDM head output and the ground-truth SDM (DTC's `loss_sdf`). With
 * `weights` (`[…, 1]`) only the weighted voxels count, each over every SDM channel.
 */
export function sdmLoss(sdmPred: tf.Tensor, sdmTarget: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  if (!weights) return meanSquaredError(sdmPred, sdmTarget);
  assertSameShape(sdmPred, sdmTarget, 'SDM loss');
  return tf.tidy(() => {
    const channels = sdmPred.shape[sdmPred.rank - 1]!;
    const perVoxel = tf.mean(
      tf.reshape(tf.squaredDifference(sdmPred, sdmTarget), [-1, channels]),
      1,
    );
    return weightedMean(perVoxel, tf.reshape(weights, [-1]));
  });
}

export { DEFAULT_SUPERVISED_LOSS_WEIGHTS, type SupervisedLossWeights } from './weights';

export interface SupervisedLossInputs {
  /** Segmentation logits of the labeled items, `[N, D, H, W, K]`. */
  logits: tf.Tensor;
  /** One-hot labels of the same shape. */
  oneHot: tf.Tensor;
  /** tanh SDM head output, `[N, D, H, W, K−1]`. */
  sdmPred: tf.Tensor;
  /** Ground-truth SDM (`computeSdmBatch`), same shape as `sdmPred`. */
  sdmTarget: tf.Tensor;
  /** `[N, D, H, W, 1]`: 1 where the label is known (absent: every voxel). */
  voxelWeights?: tf.Tensor;
  /** `[N, D, H, W, 1]`: 1 where the SDM target is known (absent: every voxel). */
  sdmWeights?: tf.Tensor;
}

export interface SupervisedLossTerms {
  total: tf.Scalar;
  ce: tf.Scalar;
  dice: tf.Scalar;
  sdm: tf.Scalar;
}

/** L_sup = w_ce·CE + w_dice·Dice(softmax(logits)) + α·MSE(sdm): each term plus the sum. */
export function supervisedLoss(
  inputs: SupervisedLossInputs,
  weights: Partial<SupervisedLossWeights> = {},
  diceOptions: DiceLossOptions = {},
): SupervisedLossTerms {
  const w = { ...DEFAULT_SUPERVISED_LOSS_WEIGHTS, ...weights };
  return tf.tidy(() => {
    const ce = crossEntropyLoss(inputs.logits, inputs.oneHot, inputs.voxelWeights);
    const dice = diceLoss(
      tf.softmax(inputs.logits),
      inputs.oneHot,
      diceOptions,
      inputs.voxelWeights,
    );
    const sdm = sdmLoss(inputs.sdmPred, inputs.sdmTarget, inputs.sdmWeights);
    const total = tf.addN([
      tf.mul(ce, w.ce),
      tf.mul(dice, w.dice),
      tf.mul(sdm, w.sdm),
    ]) as tf.Scalar;
    return { total, ce, dice, sdm };
  });
}
