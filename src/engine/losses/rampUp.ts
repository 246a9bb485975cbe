// SimCVD/UA-MT ramp-up weight Ψ(t) for the unlabeled terms (pure, any process).

import { AppError } from '../../core/errors';

/**
 * UA-MT's `sigmoid_rampup(current, rampup_length)`: exp(−5 (1 − c/L)²) with c clipped to [0, L];
 * 1 when L is 0.
 */
export function sigmoidRampUp(current: number, rampLength: number): number {
  if (rampLength === 0) return 1;
  const clipped = Math.min(Math.max(current, 0), rampLength);
  const phase = 1 - clipped / rampLength;
  return Math.exp(-5 * phase * phase);
}

export interface RampUpOptions {
  /**
   * Ψ is held constant for blocks of this many iterations [B]: UA-MT calls
   * `sigmoid_rampup(iter_num // 150, consistency_rampup)` with consistency_rampup = 40 = 6000 / 150.
   * 1 gives a per-iteration ramp.
   */
  stepEvery?: number;
}

/**
 * Ψ(t) = exp(−5 (1 − t/t_max)²) evaluated UA-MT's way: t = ⌊iteration / stepEvery⌋ and
 * t_max = maxIterations / stepEvery (not rounded, like UA-MT's float ramp length), so Ψ reaches 1
 * at `maxIterations` and stays 1 after it.
 */
export function rampUp(
  iteration: number,
  maxIterations: number,
  options: RampUpOptions = {},
): number {
  const { stepEvery = 150 } = options;
  if (!Number.isInteger(stepEvery) || stepEvery < 1) {
    throw new AppError(
      'BAD_INPUT',
      `Ramp-up: stepEvery must be a positive integer, got ${stepEvery}.`,
    );
  }
  if (!(maxIterations >= 0) || !(iteration >= 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Ramp-up: iteration and maxIterations must be non-negative, got ${iteration} and ${maxIterations}.`,
    );
  }
  return sigmoidRampUp(Math.floor(iteration / stepEvery), maxIterations / stepEvery);
}
