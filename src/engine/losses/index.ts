// Public surface of the SimCVD losses (engine, TF.js): the loss terms and their weights. The
// projection head the contrastive terms read lives with the network, in ../model.

export {
  certaintyMask,
  consistencyLoss,
  sampleInputNoise,
  uncertaintyThreshold,
  type InputNoiseOptions,
} from './consistency';
export { contrastiveLoss, type ContrastiveLossOptions } from './contrastive';
export { pairwiseDistillationLoss, type PairwiseDistillationOptions } from './pairwiseDistillation';
export { rampUp, sigmoidRampUp, type RampUpOptions } from './rampUp';
export {
  DEFAULT_SUPERVISED_LOSS_WEIGHTS,
  crossEntropyLoss,
  diceLoss,
  sdmLoss,
  supervisedLoss,
  type DiceLossOptions,
  type SupervisedLossInputs,
  type SupervisedLossTerms,
  type SupervisedLossWeights,
} from './segmentation';
export { l2Normalize, meanSquaredError, stopGradient } from './tensorOps';
export {
  DEFAULT_SIMCVD_LOSS_WEIGHTS,
  disposeLoss,
  readLossTerms,
  stackLossTerms,
  lossTermsFrom,
  LOSS_TERM_ORDER,
  totalLoss,
  type SimCvdLoss,
  type SimCvdLossTermsInput,
  type SimCvdLossWeights,
  type TotalLossOptions,
} from './total';
