// Facts about a proposed mask (pure), shown where the user decides: size per class in voxels
// and mL, connected components (6-connected, as scipy.ndimage.label and ITK count by default),
// the axial slices it spans, and on how many slices it touches the in-plane border of the
// volume (a mask leaking out of the field of view is rarely anatomy).
import { labelComponents } from '../image/components';
import type { ProposalFacts } from '../../shared/contract/proposals';
import type { Vec3 } from '../volume/volume';

export function voxelVolumeMl(spacingMm: Vec3): number {
  return (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
}

export function proposalFacts(labels: Uint8Array, dims: Vec3, spacingMm: Vec3): ProposalFacts {
  const [nx, ny, nz] = dims;
  const counts = new Map<number, number>();
  let first = -1;
  let last = -1;
  let borderSlices = 0;
  for (let k = 0; k < nz; k++) {
    let any = false;
    let border = false;
    for (let j = 0; j < ny; j++) {
      const edgeRow = j === 0 || j === ny - 1;
      const row = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        const value = labels[row + i]!;
        if (value === 0) continue;
        any = true;
        counts.set(value, (counts.get(value) ?? 0) + 1);
        if (edgeRow || i === 0 || i === nx - 1) border = true;
      }
    }
    if (any) {
      if (first < 0) first = k;
      last = k;
    }
    if (border) borderSlices++;
  }
  const ml = voxelVolumeMl(spacingMm);
  const classes = [...counts.keys()]
    .sort((a, b) => a - b)
    .map((value) => {
      const voxels = counts.get(value)!;
      const mask = counts.size === 1 ? labels : labels.map((v) => (v === value ? 1 : 0));
      return {
        value,
        voxels,
        volumeMl: voxels * ml,
        components: labelComponents(mask, dims, 6).sizes.length,
      };
    });
  const foregroundVoxels = classes.reduce((s, c) => s + c.voxels, 0);
  return {
    classes,
    foregroundVoxels,
    volumeMl: foregroundVoxels * ml,
    sliceExtent: first < 0 ? null : [first, last],
    borderSlices,
    slices: nz,
  };
}

/**
 * The slice to open first: the most uncertain one inside the mask's axial extent (never an
 * all-background slice at the edge of the volume, where sliding windows are least sure); the
 * middle slice when the mask is empty. Ties go to the lower slice.
 */
export function topSliceWithin(sliceScores: number[], extent: [number, number] | null): number {
  if (!extent) return Math.floor(sliceScores.length / 2);
  let best = extent[0];
  for (let k = extent[0] + 1; k <= extent[1]; k++)
    if ((sliceScores[k] ?? -Infinity) > (sliceScores[best] ?? -Infinity)) best = k;
  return best;
}
