// The CPU compute pool (engine process): what callers outside the kernels configure. See
// pool.ts for the threading model; the conv and BatchNorm kernels use the rest directly.
export {
  activeComputeThreads,
  closeComputePool,
  computeThreads,
  setComputeThreads,
  takeComputePoolDiagnostic,
} from './pool';
