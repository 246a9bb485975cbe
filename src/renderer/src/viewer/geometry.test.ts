// Unit tests for the viewer's grid mapping (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import {
  displayGrid,
  rasToVoxel,
  reorderSlices,
  viewEdges,
  voxelToRas,
  type Vec3,
} from './geometry';

const anisotropic = {
  dims: [4, 3, 2] as Vec3,
  affine: [1, 0, 0, -10, 0, 1, 0, -20, 0, 0, 2.5, 30, 0, 0, 0, 1],
};

describe('displayGrid', () => {
  it('converts a RAS affine to an LPS origin, spacing and directions', () => {
    const grid = displayGrid(anisotropic);
    expect(grid.spacing).toEqual([1, 1, 2.5]);
    expect(grid.origin).toEqual([10, 20, 30]);
    expect(grid.direction).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(grid.flipK).toBe(false);
  });

  it('flips the slice order of a left-handed grid and keeps every voxel in place', () => {
    const leftHanded = {
      dims: [4, 3, 2] as Vec3,
      affine: [-1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1],
    };
    const grid = displayGrid(leftHanded);
    expect(grid.flipK).toBe(true);
    // Display voxel (i, j, k) must sit where file voxel (i, j, nz-1-k) sits.
    const d = grid.direction;
    for (const [i, j, k] of [
      [0, 0, 0],
      [3, 2, 1],
      [1, 2, 0],
    ] as Vec3[]) {
      const display = [0, 1, 2].map(
        (a) =>
          grid.origin[a]! +
          d[a]! * grid.spacing[0] * i +
          d[3 + a]! * grid.spacing[1] * j +
          d[6 + a]! * grid.spacing[2] * k,
      );
      const ras = voxelToRas(leftHanded.affine, [i, j, 1 - k]);
      expect(display.map((x) => Number(x.toFixed(9)))).toEqual(
        [-ras[0], -ras[1], ras[2]].map((x) => Number(x.toFixed(9))),
      );
    }
  });
});

describe('voxel ↔ RAS', () => {
  it('round-trips through an oblique affine', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const affine = [c * 0.8, -s * 0.8, 0, 3, s * 0.8, c * 0.8, 0, -7, 0, 0, 3, 11, 0, 0, 0, 1];
    const ijk: Vec3 = [5.5, -2, 7.25];
    const back = rasToVoxel(affine, voxelToRas(affine, ijk));
    back.forEach((x, a) => expect(x).toBeCloseTo(ijk[a]!, 9));
  });
});

describe('reorderSlices', () => {
  it('reverses k and is its own inverse', () => {
    const data = Uint8Array.from({ length: 24 }, (_, n) => n);
    const flipped = reorderSlices(data, [4, 3, 2], true);
    expect(Array.from(flipped.subarray(0, 12))).toEqual(Array.from(data.subarray(12)));
    expect(Array.from(reorderSlices(flipped, [4, 3, 2], true))).toEqual(Array.from(data));
    expect(reorderSlices(data, [4, 3, 2], false)).toBe(data);
  });
});

describe('viewEdges', () => {
  it('labels a radiological axial view (patient left on screen right, anterior up)', () => {
    // Cornerstone's axial camera: looking from the feet, viewUp = −y (anterior), normal = −z… towards the viewer.
    expect(viewEdges([0, -1, 0], [0, 0, -1])).toEqual({
      left: 'R',
      right: 'L',
      top: 'A',
      bottom: 'P',
    });
  });
});
