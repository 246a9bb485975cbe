// What a GPU failure during training means for the user (engine, pure): an out-of-memory is
// refused with the patch and profile that would fit better; any other rejected work stops the
// run (its numbers cannot be trusted). Nothing after the failure is kept.
import { AppError } from '../../core/errors';
import type { Vec3 } from '../../core/volume/volume';
import type { GpuError } from '../backends/webgpu';
import type { TrainingConfig } from './config';

/** About half the voxels, each side a multiple of 16 (the V-Net's down-sampling needs it). */
export function smallerPatch(patch: Vec3): Vec3 {
  return patch.map((n) => Math.max(16, Math.floor((n * 0.8) / 16) * 16)) as Vec3;
}

export function gpuFailure(error: GpuError, config: TrainingConfig): AppError {
  if (!error.outOfMemory)
    return new AppError(
      'INTERNAL',
      `${error.message} Training stopped; the last checkpoint is kept, nothing after it.`,
      { cause: error },
    );
  const [i, j, k] = config.patchSize;
  const smaller = smallerPatch(config.patchSize).join('×');
  const batch = `${config.labeledPerBatch} + ${config.unlabeledPerBatch}`;
  return new AppError(
    'UNSUPPORTED',
    `${error.message} The ${config.profile} profile's ${i}×${j}×${k} patches with batch ${batch} ` +
      `(width ${config.network.baseFilters}) need more GPU memory than this adapter has. Try a ` +
      `${smaller} patch (--patch ${smaller.replace(/×/g, 'x')}), a batch of 1 + 1, or the quick profile.`,
    { cause: error },
  );
}
