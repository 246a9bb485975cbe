// Unit tests (Node, cpu backend) for the training preview: where an image slice falls on the
// training grid, and that the slab prediction equals the whole-volume prediction's foreground
// on that slice whenever both run the same windows (the reference is predictVolume).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import type { Vec3 } from '../../../core/volume/volume';
import { makeAffine, makeVolume } from '../../../../test/helpers/fixtures';
import { DEFAULT_NORMALIZATION } from '../../data/intensity';
import { predictVolume } from '../../inference/predictVolume';
import { disposeParams, initParams, VNET_PRESETS } from '../../model';
import { prepareStudy } from '../../data/dataset';
import {
  previewSlice,
  PreviewStudies,
  slabAroundSlice,
  type PreviewSettings,
} from './trainingPreview';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('slabAroundSlice', () => {
  it('maps image slices to the grid with the resampler convention and clamps at the ends', () => {
    // 10 image slices on 5 grid slices: slice k sits at (k + 0.5)/2 − 0.5.
    expect(slabAroundSlice(0, 10, 5, 16)).toMatchObject({ k0: 0, k1: 1, weight: 0 });
    expect(slabAroundSlice(3, 10, 5, 16)).toMatchObject({ k0: 1, k1: 2, weight: 0.25 });
    expect(slabAroundSlice(9, 10, 5, 16)).toMatchObject({ k0: 4, k1: 4, weight: 0 });
    // A grid thinner than the patch is one slab.
    expect(slabAroundSlice(3, 10, 5, 16)).toMatchObject({ slabStart: 0, slabLength: 5 });
  });

  it('centres a one-patch slab on the slice and keeps both grid slices inside it', () => {
    for (const [nz, gz, pk] of [
      [80, 40, 16],
      [33, 60, 8],
      [64, 64, 2],
      [7, 7, 4],
    ] as const) {
      for (let k = 0; k < nz; k++) {
        const plan = slabAroundSlice(k, nz, gz, pk);
        expect(plan.slabLength).toBe(Math.min(pk, gz));
        expect(plan.slabStart).toBeGreaterThanOrEqual(0);
        expect(plan.slabStart + plan.slabLength).toBeLessThanOrEqual(gz);
        for (const g of [plan.k0, plan.k1]) {
          expect(g).toBeGreaterThanOrEqual(plan.slabStart);
          expect(g).toBeLessThan(plan.slabStart + plan.slabLength);
        }
      }
    }
    // Away from the ends the slice is in the middle of the slab.
    const mid = slabAroundSlice(40, 80, 40, 16);
    expect(mid.k0 - mid.slabStart).toBe(7);
  });
});

describe('previewSlice', () => {
  const params = initParams({ ...VNET_PRESETS.tiny, numClasses: 2 }, 3);
  afterAll(() => disposeParams(params));
  const patch: Vec3 = [16, 16, 16];
  const settings: PreviewSettings = {
    patchSize: patch,
    targetSpacingMm: [3, 3, 3],
    normalization: DEFAULT_NORMALIZATION,
  };

  function image(dims: Vec3, spacing: Vec3) {
    const rng = createRng(11);
    const data = new Float32Array(dims[0] * dims[1] * dims[2]);
    for (let k = 0, v = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++, v++)
          data[v] =
            Math.hypot(i - dims[0] / 2, j - dims[1] / 3, k - dims[2] / 2) < 6
              ? 200 + 20 * rng.normal()
              : 20 * rng.normal();
    return makeVolume(dims, data, makeAffine(spacing));
  }

  it('equals the whole-volume foreground on that slice (several windows in-plane)', async () => {
    // Grids 20×18×10 and 20×18×8: two by two windows in-plane, one (padded) along k; the
    // second also interpolates between grid slices.
    for (const [dims, spacing, grid] of [
      [
        [40, 36, 10],
        [1.5, 1.5, 3],
        [20, 18, 10],
      ],
      [
        [40, 36, 12],
        [1.5, 1.5, 2],
        [20, 18, 8],
      ],
    ] as [Vec3, Vec3, Vec3][]) {
      const volume = image(dims, spacing);
      const prepared = prepareStudy('s', volume, undefined, settings);
      expect(prepared.dims).toEqual(grid);
      const reference = await predictVolume(params, settings, volume, {
        stride: [12, 12, 16],
        blending: 'gaussian',
      });
      const [nx, ny, nz] = volume.dims;
      for (const k of [0, 4, nz - 1]) {
        const slice = await previewSlice(params, prepared, volume.dims, k, settings);
        expect(slice.length).toBe(nx * ny);
        const expected = reference.foreground.subarray(k * nx * ny, (k + 1) * nx * ny);
        let worst = 0;
        for (let v = 0; v < slice.length; v++)
          worst = Math.max(worst, Math.abs(slice[v]! - Math.round(expected[v]! * 255)));
        expect(worst).toBeLessThanOrEqual(1);
        expect(Math.max(...slice)).toBeGreaterThan(Math.min(...slice));
      }
    }
  });

  it('refuses a slice outside the study', async () => {
    const volume = image([20, 20, 6], [3, 3, 3]);
    const prepared = prepareStudy('s', volume, undefined, settings);
    await expect(previewSlice(params, prepared, volume.dims, 6, settings)).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});

describe('PreviewStudies', () => {
  it('loads each study once while it is among the most recent', async () => {
    const loads: string[] = [];
    const studies = new PreviewStudies(async (id) => {
      loads.push(id);
      return makeVolume([8, 8, 4], new Float32Array(256), makeAffine([3, 3, 3]));
    }, 2);
    const settings: PreviewSettings = {
      patchSize: [8, 8, 8],
      targetSpacingMm: [3, 3, 3],
      normalization: DEFAULT_NORMALIZATION,
    };
    for (const id of ['a', 'a', 'b', 'a', 'c', 'a', 'b']) await studies.get(id, settings);
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });
});
