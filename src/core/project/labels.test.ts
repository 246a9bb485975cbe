import { describe, expect, it } from 'vitest';
import { assertSameGrid, checkLabelData } from './labels';

const affine = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1];

describe('label masks', () => {
  it('accepts the same grid and refuses other dims or another placement', () => {
    expect(() =>
      assertSameGrid({ dims: [2, 2, 2], affine }, { dims: [2, 2, 2], affine }, 'm', 's'),
    ).not.toThrow();
    expect(() =>
      assertSameGrid({ dims: [2, 2, 3], affine }, { dims: [2, 2, 2], affine }, 'm', 's'),
    ).toThrow(/2×2×3 voxels but study "s" has 2×2×2/);
    const shifted = [...affine];
    shifted[3] = 5;
    expect(() =>
      assertSameGrid({ dims: [2, 2, 2], affine: shifted }, { dims: [2, 2, 2], affine }, 'm', 's'),
    ).toThrow(/different position\/orientation/);
  });

  it('converts to uint8 and refuses values outside the label set', () => {
    const floats = checkLabelData(new Float32Array([0, 1, 2]), [1, 2], 'm');
    expect(Array.from(floats.data)).toEqual([0, 1, 2]);
    expect(() => checkLabelData(new Int16Array([0, 3]), [1, 2], 'm')).toThrow(/value 3 at voxel 1/);
    expect(() => checkLabelData(new Float32Array([0.5]), [1], 'm')).toThrow(/value 0.5/);
    expect(() => checkLabelData(new Int16Array([-1]), [1], 'm')).toThrow(/value -1/);
  });

  it('counts voxels per label value; a uint8 mask is checked in place and not copied', () => {
    const mask = new Uint8Array([0, 1, 1, 2, 0]);
    const checked = checkLabelData(mask, [1, 2], 'm');
    expect(checked.voxelCounts).toEqual({ '1': 2, '2': 1 });
    expect(checked.data).toBe(mask);
    expect(() => checkLabelData(new Uint8Array([0, 0, 7, 1]), [1], 'm')).toThrow(
      /value 7 at voxel 2/,
    );
  });
});
