// Live preview of a training run (engine process, TF.js): the foreground probability of the
// network being trained on one axial slice of a study, on the study's own image grid. Runs
// between two iterations: sliding windows over a slab of the training grid around the slice,
// then the slice is interpolated along k and resampled back to the image's i, j grid.
import { AppError } from '../../../core/errors';
import type { Vec3, Volume } from '../../../core/volume/volume';
import { prepareStudy, type PreparedStudy } from '../../data/dataset';
import { resampleLinear } from '../../data/resample';
import { predictProbabilities } from '../../inference/slidingWindow';
import type { VNetParams } from '../../model';
import type { TrainingConfig } from '../../trainer/config';

/** Where image slice k falls on the training grid and which slab of grid slices to predict. */
export interface SlabPlan {
  /** Grid slices to interpolate between, and the weight of the upper one. */
  k0: number;
  k1: number;
  weight: number;
  slabStart: number;
  slabLength: number;
}

/**
 * Image slice k (of `imageNz`) on a grid of `gridNz` slices with the resampler's
 * "voxel areas aligned" mapping; the slab is one patch deep, centred on it where possible.
 */
export function slabAroundSlice(
  k: number,
  imageNz: number,
  gridNz: number,
  patchK: number,
): SlabPlan {
  const z = Math.min(Math.max(((k + 0.5) * gridNz) / imageNz - 0.5, 0), gridNz - 1);
  const k0 = Math.floor(z);
  const k1 = Math.min(k0 + 1, gridNz - 1);
  const slabLength = Math.min(patchK, gridNz);
  const slabStart = Math.min(
    Math.max(k0 - Math.floor((patchK - 1) / 2), 0),
    Math.max(gridNz - patchK, 0),
  );
  return { k0, k1, weight: z - k0, slabStart, slabLength };
}

export type PreviewSettings = Pick<
  TrainingConfig,
  'patchSize' | 'targetSpacingMm' | 'normalization'
>;

/** Foreground probability (1 − p(background)) on image slice k, nx·ny uint8 ×255. */
export async function previewSlice(
  params: VNetParams,
  prepared: PreparedStudy,
  imageDims: Vec3,
  k: number,
  settings: PreviewSettings,
): Promise<Uint8Array> {
  const [nx, ny, nz] = imageDims;
  if (!Number.isInteger(k) || k < 0 || k >= nz) {
    throw new AppError(
      'BAD_INPUT',
      `Slice ${k} is outside study "${prepared.id}" (axial slices 0 to ${nz - 1}).`,
    );
  }
  const [gx, gy, gz] = prepared.dims;
  const [pi, pj, pk] = settings.patchSize;
  const plan = slabAroundSlice(k, nz, gz, pk);
  const sliceVoxels = gx * gy;
  const slab = prepared.image.subarray(
    plan.slabStart * sliceVoxels,
    (plan.slabStart + plan.slabLength) * sliceVoxels,
  );
  const probs = await predictProbabilities(params, slab, [gx, gy, plan.slabLength], {
    patchSize: settings.patchSize,
    // A quarter overlap in-plane keeps seams soft at a fraction of full sliding-window cost.
    stride: [Math.max(1, Math.round(pi * 0.75)), Math.max(1, Math.round(pj * 0.75)), pk],
    blending: 'gaussian',
    batchSize: 2,
  });
  // Class 0 (background) comes first in the class-major layout.
  const at = (gridK: number, v: number) =>
    1 - probs.probs[(gridK - plan.slabStart) * sliceVoxels + v]!;
  const onGrid = new Float32Array(sliceVoxels);
  for (let v = 0; v < sliceVoxels; v++)
    onGrid[v] = (1 - plan.weight) * at(plan.k0, v) + plan.weight * at(plan.k1, v);
  const onImage =
    gx === nx && gy === ny ? onGrid : resampleLinear(onGrid, [gx, gy, 1], [nx, ny, 1]);
  const out = new Uint8Array(nx * ny);
  for (let v = 0; v < out.length; v++)
    out[v] = Math.round(Math.min(Math.max(onImage[v]!, 0), 1) * 255);
  return out;
}

/**
 * Keeps the last few studies preprocessed for previews (a user looks at one study at a time;
 * preprocessing a whole volume per request would cost more than the windows).
 */
export class PreviewStudies {
  private readonly cache = new Map<string, { prepared: PreparedStudy; imageDims: Vec3 }>();

  constructor(
    private readonly load: (studyId: string) => Promise<Volume>,
    private readonly capacity = 2,
  ) {}

  async get(
    studyId: string,
    settings: PreviewSettings,
  ): Promise<{ prepared: PreparedStudy; imageDims: Vec3 }> {
    const hit = this.cache.get(studyId);
    if (hit) {
      this.cache.delete(studyId);
      this.cache.set(studyId, hit);
      return hit;
    }
    const image = await this.load(studyId);
    const entry = {
      prepared: prepareStudy(studyId, image, undefined, settings),
      imageDims: image.dims,
    };
    this.cache.set(studyId, entry);
    for (const key of this.cache.keys()) {
      if (this.cache.size <= this.capacity) break;
      this.cache.delete(key);
    }
    return entry;
  }
}
