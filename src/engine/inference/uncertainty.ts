// Uncertainty summaries (pure): one score per study and per slice from a voxel uncertainty map,
// for active learning ("which study next, and where to look first").
import { topSliceWithin } from '../../core/review/facts';

export interface UncertaintySummary {
  /** Mean voxel uncertainty over the volume, in [0, 1]: expected information per voxel [D]. */
  studyScore: number;
  /** Mean uncertainty of each slice along k (the axial index of the stored image). */
  sliceScores: number[];
  /** The slice to look at first: the most uncertain one inside the prediction's extent. */
  topSlice: number;
  /** Foreground voxels of the prediction. */
  foregroundVoxels: number;
}

export function summarizeUncertainty(
  uncertainty: Float32Array,
  labels: Uint8Array,
  dims: [number, number, number],
): UncertaintySummary {
  const [nx, ny, nz] = dims;
  const slice = nx * ny;
  const sliceScores: number[] = [];
  let total = 0;
  let foregroundVoxels = 0;
  let first = -1;
  let last = -1;
  for (let k = 0; k < nz; k++) {
    let sum = 0;
    const before = foregroundVoxels;
    for (let v = k * slice; v < (k + 1) * slice; v++) {
      sum += uncertainty[v]!;
      if (labels[v]) foregroundVoxels++;
    }
    if (foregroundVoxels > before) {
      if (first < 0) first = k;
      last = k;
    }
    total += sum;
    sliceScores.push(sum / slice);
  }
  const topSlice = topSliceWithin(sliceScores, first < 0 ? null : [first, last]);
  return { studyScore: total / (slice * nz), sliceScores, topSlice, foregroundVoxels };
}
