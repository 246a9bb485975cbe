// Unit tests (pure) for the one preprocessing: training's prepared study and inference's input
// come from the same function, so they are equal for the same image and settings.
import { describe, expect, it } from 'vitest';
import { geometryFromAffine } from '../../core/volume/geometry';
import type { Volume } from '../../core/volume/volume';
import { prepareStudy } from './dataset';
import { preprocess } from './preprocess';

function volume(data: Int16Array | Uint8Array): Volume {
  const affine = [0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0, 2.5, 0, 0, 0, 0, 1];
  return {
    dims: [10, 8, 4],
    spacingMm: [0.8, 0.8, 2.5],
    affine,
    geometry: geometryFromAffine(affine),
    data,
  };
}

describe('preprocess', () => {
  const image = volume(Int16Array.from({ length: 320 }, (_, v) => (v * 37) % 500));
  const label = volume(Uint8Array.from({ length: 320 }, (_, v) => (v % 7 === 0 ? 1 : 0)));
  const settings = {
    targetSpacingMm: [1.6, 1.6, 2.5] as [number, number, number],
    normalization: { kind: 'zscore' as const },
  };

  it('resamples to the training grid and normalises; training sees what inference sees', () => {
    const grid = preprocess(image, label, settings);
    expect(grid.dims).toEqual([5, 4, 4]);
    expect(grid.sameGrid).toBe(false);
    const prepared = prepareStudy('s', image, label, settings);
    expect(prepared.dims).toEqual(grid.dims);
    expect(prepared.image).toEqual(grid.image);
    expect(prepared.label).toEqual(grid.label);
    expect(preprocess(image, undefined, settings).image).toEqual(grid.image);
    let mean = 0;
    for (const v of grid.image) mean += v / grid.image.length;
    expect(Math.abs(mean)).toBeLessThan(0.2);
  });

  it('keeps the image grid with native spacing', () => {
    const grid = preprocess(image, label, { ...settings, targetSpacingMm: 'native' });
    expect(grid.sameGrid).toBe(true);
    expect(grid.dims).toEqual(image.dims);
    expect(grid.label).toEqual(label.data);
  });
});
