// Public surface of the SimCVD losses (engine, TF.js).

export { adaptiveAvgPool2d, adaptiveAvgPoolMatrix } from './adaptivePool';
export {
  ALPHA_DROPOUT_ALPHA,
  alphaDropout,
  alphaDropoutConstants,
  type AlphaDropoutConstants,
} from './alphaDropout';
export {
  certaintyMask,
  consistencyLoss,
  sampleInputNoise,
  uncertaintyThreshold,
  type InputNoiseOptions,
} from './consistency';
export { contrastiveLoss, type ContrastiveLossOptions } from './contrastive';
export { pairwiseDistillationLoss, type PairwiseDistillationOptions } from './pairwiseDistillation';
export {
  DEFAULT_PROJECTION_HEAD_CONFIG,
  cloneProjectionHead,
  createProjectionHead,
  disposeProjectionHead,
  projectionHeadForward,
  projectionHeadVariables,
  type DenseParams,
  type ProjectionForwardOptions,
  type ProjectionHead,
  type ProjectionHeadConfig,
  type SliceAxis,
} from './projectionHead';
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
