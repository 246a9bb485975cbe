// Loss weights of the SimCVD objective (pure, no TF.js: the app's main process reads the
// defaults without loading the engine). [P] paper, [B] UA-MT/DTC baselines.

export interface SupervisedLossWeights {
  /** Cross-entropy weight: UA-MT uses 0.5·(CE + Dice) [B]. */
  ce: number;
  /** Dice weight [B]. */
  dice: number;
  /** α, the SDM regression weight [P]. */
  sdm: number;
}

export const DEFAULT_SUPERVISED_LOSS_WEIGHTS: Readonly<SupervisedLossWeights> = {
  ce: 0.5,
  dice: 0.5,
  sdm: 0.1,
};

export interface SimCvdLossWeights extends SupervisedLossWeights {
  /** λ, contrastive weight [P]. */
  contrast: number;
  /** β, pair-wise distillation weight [P]. */
  pairwiseDistillation: number;
  /** γ, consistency weight [P]. */
  consistency: number;
}

export const DEFAULT_SIMCVD_LOSS_WEIGHTS: Readonly<SimCvdLossWeights> = {
  ...DEFAULT_SUPERVISED_LOSS_WEIGHTS,
  contrast: 0.5,
  pairwiseDistillation: 0.1,
  consistency: 0.1,
};
