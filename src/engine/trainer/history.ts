// The loss history a training run records (pure, no TF.js): rows in the contract's
// LOSS_COLUMNS order, so the app reads them as they are.
import { LOSS_COLUMNS } from '../../shared/contract/training';

export interface TrainingHistory {
  /** One row per iteration, LOSS_COLUMNS: [iteration, total, …, Ψ, lr]. */
  losses: number[][];
  validation: { iteration: number; dice: number }[];
}

/** A step's numbers by name: the loss terms (LossTerms) plus the iteration and learning rate. */
export type LossRowValues = Record<(typeof LOSS_COLUMNS)[number], number>;

/** The LOSS_COLUMNS row of one iteration. */
export function lossRow(
  iteration: number,
  losses: Omit<LossRowValues, 'iteration' | 'learningRate'>,
  learningRate: number,
): number[] {
  const values: LossRowValues = { ...losses, iteration, learningRate };
  return LOSS_COLUMNS.map((column) => values[column]);
}
