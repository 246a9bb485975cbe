// The loss history a training run records (pure, no TF.js: the app's main process maps its
// columns to the contract's without loading the engine).

export interface TrainingHistory {
  /** One row per iteration: [iteration, total, supervised, ce, dice, sdm, contrastive, pd, consistency, Ψ, lr]. */
  losses: number[][];
  validation: { iteration: number; dice: number }[];
}

export const HISTORY_COLUMNS = [
  'iteration',
  'total',
  'supervised',
  'ce',
  'dice',
  'sdm',
  'contrastive',
  'pairwiseDistillation',
  'consistency',
  'rampWeight',
  'learningRate',
] as const;
