import { describe, expect, it } from 'vitest';
import { geometryFromAffine } from './geometry';
import { decodeNifti, encodeNifti } from './nifti';
import { quantizeUnit, UNIT_SCALE } from './quantize';
import type { Volume } from './volume';

describe('quantizeUnit', () => {
  it('rounds to the nearest 1/255 and clips what lies outside [0, 1]', () => {
    const values = Float32Array.of(0, 1, 0.5, 1 / 255, 0.7 / 255, -0.2, 1.5, NaN, 0.999);
    expect(Array.from(quantizeUnit(values))).toEqual([0, 255, 128, 1, 1, 0, 255, 0, 255]);
  });

  it('reads back as floats within 1/510 through the NIfTI scaling', () => {
    const values = Float32Array.from({ length: 60 }, (_, i) => (i * 0.37) % 1);
    const volume: Volume = {
      dims: [5, 4, 3],
      spacingMm: [1, 1, 1],
      affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
      data: quantizeUnit(values),
      geometry: geometryFromAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
    };
    const read = decodeNifti(encodeNifti(volume, { scale: UNIT_SCALE }));
    expect(read.data).toBeInstanceOf(Float32Array);
    read.data.forEach((x, i) =>
      expect(Math.abs(x - values[i]!)).toBeLessThanOrEqual(1 / 510 + 1e-7),
    );
  });
});
