import { describe, expect, it } from 'vitest';
import { computeSdm, computeSdmBatch } from '../../core/image/sdm';
import type { Vec3 } from '../../core/volume/volume';
import type { Batch } from '../data/dataset';
import { supervisionTargets } from './supervision';

const size: Vec3 = [6, 6, 4];
const voxels = 6 * 6 * 4;

/** Two labeled items, each a 3×3 square on every slice. */
function batch(partial: boolean[], annotated?: Uint8Array): Batch {
  const labels = new Uint8Array(2 * voxels);
  for (let b = 0; b < 2; b++)
    for (let k = 0; k < 4; k++)
      for (let j = 1; j < 4; j++)
        for (let i = 1; i < 4; i++) labels[b * voxels + i + 6 * (j + 6 * k)] = 1;
  return {
    labeledImages: new Float32Array(2 * voxels),
    labels,
    unlabeledImages: new Float32Array(0),
    labeledCount: 2,
    unlabeledCount: 0,
    partial,
    ...(annotated ? { annotated } : {}),
  };
}

/** Item 1 partial: axial slice 2 annotated (and the i = 0 column plane of the others). */
function partialMask(): Uint8Array {
  const known = new Uint8Array(2 * voxels).fill(1, 0, voxels);
  for (let k = 0; k < 4; k++)
    for (let j = 0; j < 6; j++)
      for (let i = 0; i < 6; i++) if (k === 2 || i === 0) known[voxels + i + 6 * (j + 6 * k)] = 1;
  return known;
}

describe('supervision targets', () => {
  it('complete labels: the 3-D SDMs and no weights (training exactly as before)', () => {
    const t = supervisionTargets(batch([false, false]), size, 2);
    expect(t.voxelWeights).toBeUndefined();
    expect(t.sdmWeights).toBeUndefined();
    expect(t.sdmTarget).toEqual(computeSdmBatch(batch([false, false]).labels, size, 2, 2));
  });

  it("partial labels with 'skip': Dice/CE on annotated voxels, no SDM for the partial item", () => {
    const known = partialMask();
    const t = supervisionTargets(batch([false, true], known), size, 2, 'skip');
    expect(Array.from(t.voxelWeights!)).toEqual(Array.from(known));
    expect(t.sdmWeights!.subarray(0, voxels).every((w) => w === 1)).toBe(true);
    expect(t.sdmWeights!.subarray(voxels).every((w) => w === 0)).toBe(true);
    expect(t.sdmTarget.subarray(0, voxels)).toEqual(
      computeSdm(batch([false]).labels.subarray(0, voxels), size, 2),
    );
  });

  it("partial labels with 'slicewise2d': the 2-D SDM of each annotated axial slice", () => {
    const t = supervisionTargets(batch([false, true], partialMask()), size, 2, 'slicewise2d');
    const plane = 36;
    const w = t.sdmWeights!.subarray(voxels);
    for (let k = 0; k < 4; k++)
      expect(w.subarray(k * plane, (k + 1) * plane).every((x) => x === (k === 2 ? 1 : 0))).toBe(
        true,
      );
    const slice = batch([false, true]).labels.subarray(voxels + 2 * plane, voxels + 3 * plane);
    expect(t.sdmTarget.subarray(voxels + 2 * plane, voxels + 3 * plane)).toEqual(
      computeSdm(slice, [6, 6, 1], 2),
    );
    // Unannotated slices of the partial item carry no target.
    expect(t.sdmTarget.subarray(voxels, voxels + plane).every((x) => x === 0)).toBe(true);
  });
});
