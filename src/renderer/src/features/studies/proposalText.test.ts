// How a proposal's size, classes and validation read, and a partial label's slices (pure).
import { describe, expect, it } from 'vitest';
import {
  describeAnnotated,
  describeClass,
  describeSize,
  describeValidation,
  formatMl,
} from './proposalText';

describe('proposal text', () => {
  it('gives voxels, their share of the volume and millilitres', () => {
    expect(describeSize({ foregroundVoxels: 543864, volumeMl: 412.3 }, [96, 96, 64])).toBe(
      '543,864 voxels (92 % of the volume), 412 mL',
    );
    expect(describeSize({ foregroundVoxels: 12, volumeMl: 0.0123 }, [96, 96, 64])).toBe(
      '12 voxels (< 1 % of the volume), 0.01 mL',
    );
    expect(describeSize({ foregroundVoxels: 1, volumeMl: 12.34 })).toBe('1 voxel, 12.3 mL');
    expect(formatMl(0)).toBe('0.00 mL');
  });

  it('names the class, its size and components', () => {
    const labels = [{ value: 1, name: 'atrium', color: '#ff0000' }];
    expect(describeClass({ value: 1, voxels: 5021, volumeMl: 4.123, components: 1 }, labels)).toBe(
      'atrium: 5,021 voxels, 4.12 mL, 1 component',
    );
    expect(describeClass({ value: 2, voxels: 3, volumeMl: 0.5, components: 3 }, labels)).toBe(
      'label 2: 3 voxels, 0.50 mL, 3 components',
    );
  });

  it('says when a model was not validated', () => {
    expect(describeValidation(null)).toBe('not validated');
    expect(describeValidation(0.8123)).toBe('validation Dice 0.812');
  });

  it('counts a partial label’s annotated slices along the study’s slice axis first', () => {
    const dims: [number, number, number] = [96, 80, 64];
    expect(
      describeAnnotated({ coverage: 'partial', dims, annotatedSlices: { i: 0, j: 0, k: 12 } }),
    ).toBe('12 / 64 slices');
    expect(
      describeAnnotated({ coverage: 'partial', dims, annotatedSlices: { i: 2, j: 0, k: 3 } }),
    ).toBe('3 / 64 slices, 2 / 96 i-slices');
    expect(
      describeAnnotated({ coverage: 'full', dims, annotatedSlices: { i: 96, j: 80, k: 64 } }),
    ).toBe('');
  });
});
