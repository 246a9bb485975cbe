// What the supervised terms may trust in a labeled batch (engine, pure): the SDM targets and,
// when some items are partial labels, the voxel weights (1 = annotated) for Dice and CE and
// the SDM weights — none for a partial item ('skip'), or its annotated axial slices with the
// 2-D SDM of each ('slicewise2d'). A batch of complete labels gets no weights at all, so it
// trains exactly as before.
import { computeSdm, computeSdmBatch } from '../../core/image/sdm';
import type { Vec3 } from '../../core/volume/volume';
import type { Batch } from '../data/dataset';
import type { TrainingConfig } from './config';

export interface SupervisionTargets {
  /** `[L, D, H, W, K − 1]` channels-last. */
  sdmTarget: Float32Array;
  /** `[L, D, H, W]`: 1 where the label is known; absent when every item is complete. */
  voxelWeights?: Float32Array;
  /** `[L, D, H, W]`: 1 where the SDM target is known; absent when every item is complete. */
  sdmWeights?: Float32Array;
}

/** An axial slice of a patch counts as annotated when nearly all of it is (padding aside). */
const ANNOTATED_PLANE_SHARE = 0.9;

export function supervisionTargets(
  batch: Batch,
  patchSize: Vec3,
  numClasses: number,
  sdmOnPartial: TrainingConfig['sdmOnPartial'] = 'skip',
): SupervisionTargets {
  const L = batch.labeledCount;
  if (!batch.annotated || !batch.partial.some(Boolean))
    return { sdmTarget: computeSdmBatch(batch.labels, patchSize, numClasses, L) };
  const [pi, pj, pk] = patchSize;
  const voxels = pi * pj * pk;
  const plane = pi * pj;
  const channels = numClasses - 1;
  const sdmTarget = new Float32Array(L * voxels * channels);
  const sdmWeights = new Float32Array(L * voxels);
  const voxelWeights = Float32Array.from(batch.annotated);
  for (let b = 0; b < L; b++) {
    const labels = batch.labels.subarray(b * voxels, (b + 1) * voxels);
    if (!batch.partial[b]) {
      sdmTarget.set(computeSdm(labels, patchSize, numClasses), b * voxels * channels);
      sdmWeights.fill(1, b * voxels, (b + 1) * voxels);
      continue;
    }
    if (sdmOnPartial !== 'slicewise2d') continue;
    const known = batch.annotated.subarray(b * voxels, (b + 1) * voxels);
    for (let k = 0; k < pk; k++) {
      let annotated = 0;
      for (let v = k * plane; v < (k + 1) * plane; v++) annotated += known[v]!;
      if (annotated < ANNOTATED_PLANE_SHARE * plane) continue;
      const slice = labels.subarray(k * plane, (k + 1) * plane);
      const sdm = computeSdm(slice, [pi, pj, 1], numClasses);
      sdmTarget.set(sdm, (b * voxels + k * plane) * channels);
      for (let v = k * plane; v < (k + 1) * plane; v++) sdmWeights[b * voxels + v] = known[v]!;
    }
  }
  return { sdmTarget, voxelWeights, sdmWeights };
}
