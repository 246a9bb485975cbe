// Public surface of the network (engine): the V-Net's config, parameters, forward pass and
// checkpoint files, and the contrastive projection head (adaptive pooling, alpha dropout, MLP).
export {
  levelChannels,
  numSdmChannels,
  resolveVNetConfig,
  spatialMultiple,
  VNET_PRESETS,
  type ResolvedVNetConfig,
  type VNetConfig,
  type VNetInit,
  type VNetPresetName,
} from './config';
export { buildParamSpecs, isTrainableRole, type ParamRole, type ParamSpec } from './specs';
export {
  assignParams,
  copyParams,
  countParameters,
  disposeParams,
  emaUpdate,
  getVar,
  initParams,
  paramsFromTensors,
  trainableVariables,
  type CreateParamsOptions,
  type EmaOptions,
  type MovingStatsPolicy,
  type VNetParams,
} from './params';
export { checkInputShape, forward, type ForwardOptions, type ForwardResult } from './vnet';
export type { BnMode } from './layers';
export {
  loadParams,
  readParamsMetadata,
  MODEL_JSON,
  saveParams,
  VNET_FORMAT,
  VNET_FORMAT_VERSION,
  vnetFolderHandler,
  WEIGHTS_BIN,
  type VNetFileMetadata,
} from './io';

export { adaptiveAvgPool2d, adaptiveAvgPoolMatrix } from './adaptivePool';
export {
  ALPHA_DROPOUT_ALPHA,
  alphaDropout,
  alphaDropoutConstants,
  type AlphaDropoutConstants,
} from './alphaDropout';
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
