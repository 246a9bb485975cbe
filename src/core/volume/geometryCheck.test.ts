// Unit tests for geometry sanity checks and repair (pure).
import { describe, expect, it } from 'vitest';
import { geometryFromAffine, spacingOf } from './geometry';
import { affineProblem, checkGeometry, geometryProblem } from './geometryCheck';
import type { Mat4, Volume } from './volume';

const affine: Mat4 = [0.8, 0, 0, -10, 0, 0.8, 0, 5, 0, 0, 2.5, 20, 0, 0, 0, 1];

function volume(patch: (v: Volume) => void = () => undefined): Volume {
  const v: Volume = {
    dims: [4, 3, 2],
    spacingMm: spacingOf(affine),
    affine: [...affine],
    geometry: geometryFromAffine(affine),
    data: new Int16Array(24),
  };
  patch(v);
  return v;
}

describe('geometryProblem', () => {
  it('accepts ordinary geometry', () => {
    expect(geometryProblem(volume())).toBeUndefined();
  });

  it('names a non-finite header field, even one the affine does not use', () => {
    expect(geometryProblem(volume((v) => (v.geometry.pixdim[1] = NaN)))).toMatch(/pixdim/);
    expect(geometryProblem(volume((v) => (v.geometry.quatern[0] = Infinity)))).toMatch(/quatern/);
    expect(geometryProblem(volume((v) => (v.geometry.srow[3] = NaN)))).toMatch(/srow/);
  });

  it('refuses zero, absurd and singular voxel axes', () => {
    expect(affineProblem([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toMatch(/0 × 0 × 0 mm/);
    expect(affineProblem([2.95e20, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(
      /2\.95e\+20.*beyond 10000 mm/,
    );
    // Two parallel columns: non-zero lengths, but no volume.
    expect(affineProblem([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/singular/);
    expect(affineProblem([NaN, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toMatch(/finite/);
  });
});

describe('checkGeometry', () => {
  it('refuses bad geometry by default, naming the file and the way out', () => {
    const bad = volume((v) => (v.geometry.pixdim[1] = NaN));
    expect(() => checkGeometry(bad, 'scan.nii', 'reject')).toThrow(
      /scan\.nii: the header field pixdim is not a finite number.*--repair-geometry/,
    );
  });

  it('repairs from the qform when the sform is degenerate', () => {
    const bad = volume((v) => {
      v.geometry.srow = new Array(12).fill(0);
      v.affine = [...v.geometry.srow, 0, 0, 0, 1];
    });
    const { volume: fixed, repaired } = checkGeometry(bad, 'x', 'repair');
    expect(repaired).toMatch(/now taken from the qform/);
    fixed.affine.forEach((x, i) => expect(x).toBeCloseTo(affine[i]!, 5));
    expect(geometryProblem(fixed)).toBeUndefined();
  });

  it('falls back to pixdim, then to 1 mm, when no form is usable', () => {
    const noForms = volume((v) => {
      v.geometry.quatern = [NaN, 0, 0];
      v.geometry.srow = new Array(12).fill(NaN);
      v.affine = new Array(16).fill(NaN);
    });
    const byPixdim = checkGeometry(noForms, 'x', 'repair');
    expect(byPixdim.repaired).toMatch(/pixdim/);
    expect(byPixdim.volume.spacingMm.map((s) => +s.toFixed(4))).toEqual([0.8, 0.8, 2.5]);
    noForms.geometry.pixdim = [0, NaN, 1];
    const byDefault = checkGeometry(noForms, 'x', 'repair');
    expect(byDefault.repaired).toMatch(/1 mm voxels/);
    expect(byDefault.volume.spacingMm).toEqual([1, 1, 1]);
    expect(geometryProblem(byDefault.volume)).toBeUndefined();
  });
});
