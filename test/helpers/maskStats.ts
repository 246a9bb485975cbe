// Mask measurements for the tests (pure): connected component sizes and the best
// global-threshold Dice, which let tests check that a synthetic case has one connected target
// that simple thresholding cannot segment. (Dice itself is src/core/metrics' own.)
import { labelComponents, type Connectivity } from '../../src/core/image/components';
import type { Vec3, VoxelArray } from '../../src/core/volume/volume';

export type { Connectivity } from '../../src/core/image/components';

/** Sizes of the non-zero voxels' connected components, largest first. */
export function componentSizes(mask: Uint8Array, dims: Vec3, connectivity: Connectivity): number[] {
  return labelComponents(mask, dims, connectivity).sizes.sort((p, q) => q - p);
}

/**
 * The best Dice any global threshold (`image ≥ t`) reaches against `label`, scanning every
 * integer threshold of the image's range via cumulative histograms.
 */
export function bestThresholdDice(
  image: VoxelArray,
  label: Uint8Array,
): { threshold: number; dice: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let v = 0; v < image.length; v++) {
    const x = image[v]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const bins = Math.floor(hi) - Math.floor(lo) + 1;
  const all = new Float64Array(bins + 1);
  const inside = new Float64Array(bins + 1);
  let labelled = 0;
  for (let v = 0; v < image.length; v++) {
    const b = Math.floor(image[v]!) - Math.floor(lo);
    all[b]!++;
    if (label[v]) {
      inside[b]!++;
      labelled++;
    }
  }
  // Suffix sums: voxels (and labelled voxels) at or above each bin.
  for (let b = bins - 1; b >= 0; b--) {
    all[b]! += all[b + 1]!;
    inside[b]! += inside[b + 1]!;
  }
  let best = { threshold: Math.floor(lo), dice: 0 };
  for (let b = 0; b < bins; b++) {
    const dice = (2 * inside[b]!) / (all[b]! + labelled);
    if (dice > best.dice) best = { threshold: Math.floor(lo) + b, dice };
  }
  return best;
}
