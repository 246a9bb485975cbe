// SimCVD objective (engine, TF.js): L = L_sup + Ψ(t)·(λ·L_contrast + β·L_pd + γ·L_con), with every
// term returned for progress reporting.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import type { SupervisedLossTerms } from './segmentation';
import { DEFAULT_SIMCVD_LOSS_WEIGHTS, type SimCvdLossWeights } from './weights';

export { DEFAULT_SIMCVD_LOSS_WEIGHTS, type SimCvdLossWeights } from './weights';

export interface SimCvdLossTermsInput {
  /** From `supervisedLoss` (its own weights already applied to its `total`). */
  supervised: SupervisedLossTerms;
  contrastive?: tf.Scalar;
  pairwiseDistillation?: tf.Scalar;
  consistency?: tf.Scalar;
}

export interface TotalLossOptions {
  /** Ψ(t), e.g. from `rampUp`. */
  rampWeight: number;
  weights?: Partial<SimCvdLossWeights>;
  /**
   * Labeled-only training (the "V-Net, labeled only" baseline): the unlabeled terms are
   * ignored (they may be omitted) and reported as 0.
   */
  supervisedOnly?: boolean;
}

export interface SimCvdLoss {
  total: tf.Scalar;
  supervised: tf.Scalar;
  ce: tf.Scalar;
  dice: tf.Scalar;
  sdm: tf.Scalar;
  contrastive: tf.Scalar;
  pairwiseDistillation: tf.Scalar;
  consistency: tf.Scalar;
  /** Ψ(t) as used. */
  rampWeight: number;
}

/**
 * Combines already-computed terms. The returned tensors are new (the inputs are not disposed);
 * differentiate `total`.
 */
export function totalLoss(terms: SimCvdLossTermsInput, options: TotalLossOptions): SimCvdLoss {
  const weights = { ...DEFAULT_SIMCVD_LOSS_WEIGHTS, ...options.weights };
  const supervisedOnly = options.supervisedOnly ?? false;
  checkWeights(weights, options.rampWeight);
  const { contrastive, pairwiseDistillation, consistency } = terms;
  if (!supervisedOnly && (!contrastive || !pairwiseDistillation || !consistency)) {
    throw new AppError(
      'BAD_INPUT',
      'SimCVD loss: the contrastive, pair-wise distillation and consistency terms are all needed unless supervisedOnly is set.',
    );
  }
  const parts = tf.tidy(() => {
    const zero = tf.scalar(0);
    const pick = (t: tf.Scalar | undefined) => (supervisedOnly || !t ? zero : tf.clone(t));
    const c = pick(contrastive);
    const pd = pick(pairwiseDistillation);
    const con = pick(consistency);
    const unlabeled = tf.addN([
      tf.mul(c, weights.contrast),
      tf.mul(pd, weights.pairwiseDistillation),
      tf.mul(con, weights.consistency),
    ]);
    const total = tf.add(
      terms.supervised.total,
      tf.mul(unlabeled, options.rampWeight),
    ) as tf.Scalar;
    return {
      total,
      supervised: tf.clone(terms.supervised.total),
      ce: tf.clone(terms.supervised.ce),
      dice: tf.clone(terms.supervised.dice),
      sdm: tf.clone(terms.supervised.sdm),
      contrastive: tf.clone(c),
      pairwiseDistillation: tf.clone(pd),
      consistency: tf.clone(con),
    };
  });
  return { ...parts, rampWeight: options.rampWeight };
}

/** The loss terms in one fixed order: stacked into one tensor, they cost one device read. */
export const LOSS_TERM_ORDER = [
  'total',
  'supervised',
  'ce',
  'dice',
  'sdm',
  'contrastive',
  'pairwiseDistillation',
  'consistency',
] as const;

export type LossTermName = (typeof LOSS_TERM_ORDER)[number];

/** Every term in one rank-1 tensor (LOSS_TERM_ORDER), to read back once per step. */
export function stackLossTerms(loss: SimCvdLoss): tf.Tensor1D {
  return tf.stack(LOSS_TERM_ORDER.map((name) => loss[name])) as tf.Tensor1D;
}

/** The numbers of a read-back `stackLossTerms`. */
export function lossTermsFrom(
  values: ArrayLike<number>,
  rampWeight: number,
): Record<keyof SimCvdLoss, number> {
  const out = { rampWeight } as Record<keyof SimCvdLoss, number>;
  LOSS_TERM_ORDER.forEach((name, index) => (out[name] = values[index]!));
  return out;
}

/** Every term as a plain number (one asynchronous device read), for progress and logs. */
export async function readLossTerms(loss: SimCvdLoss): Promise<Record<keyof SimCvdLoss, number>> {
  const stacked = stackLossTerms(loss);
  try {
    return lossTermsFrom(await stacked.data(), loss.rampWeight);
  } finally {
    stacked.dispose();
  }
}

export function disposeLoss(loss: SimCvdLoss): void {
  const { rampWeight: _rampWeight, ...tensors } = loss;
  tf.dispose(tensors);
}

function checkWeights(weights: SimCvdLossWeights, rampWeight: number): void {
  const bad = Object.entries(weights).filter(([, w]) => !Number.isFinite(w) || w < 0);
  if (bad.length > 0 || !Number.isFinite(rampWeight) || rampWeight < 0) {
    throw new AppError(
      'BAD_INPUT',
      `SimCVD loss: weights and the ramp weight must be finite and ≥ 0 (bad: ${[
        ...bad.map(([k, w]) => `${k}=${w}`),
        ...(Number.isFinite(rampWeight) && rampWeight >= 0 ? [] : [`rampWeight=${rampWeight}`]),
      ].join(', ')}).`,
    );
  }
}
