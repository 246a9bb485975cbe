// Partial labels in the patch sampler: every crop of a partially labeled study holds annotated
// voxels, the known-voxel mask follows the label through resampling and augmentation, and a
// batch of complete labels carries no mask.
import { describe, expect, it } from 'vitest';
import { makeAffine, makeVolume } from '../../../test/helpers/fixtures';
import { createRng } from '../../core/random';
import type { Vec3 } from '../../core/volume/volume';
import { DEFAULT_NORMALIZATION } from './intensity';
import { PatchSampler, type DataOptions, type TrainingStudySource } from './dataset';

const dims: Vec3 = [24, 24, 24];
const voxels = dims[0] * dims[1] * dims[2];

function study(id: string, annotated?: number[]): TrainingStudySource {
  const image = new Float32Array(voxels).map((_, v) => (v * 7919) % 13);
  const label = new Uint8Array(voxels).map((_, v) => (v % 24 > 8 && v % 24 < 16 ? 1 : 0));
  const affine = makeAffine([1, 1, 1]);
  return {
    id,
    ...(annotated ? { annotatedSlices: { i: [], j: [], k: annotated } } : {}),
    load: async () => ({
      image: makeVolume(dims, image, affine),
      label: makeVolume(dims, label, affine),
    }),
  };
}

const options = (targetSpacingMm: DataOptions['targetSpacingMm']): DataOptions => ({
  patchSize: [8, 8, 4],
  targetSpacingMm,
  normalization: DEFAULT_NORMALIZATION,
  foregroundProbability: 0.5,
  augment: true,
  memoryBudgetBytes: 64 << 20,
});

describe('patch sampling with partial labels', () => {
  for (const spacing of ['native', [2, 2, 2]] as DataOptions['targetSpacingMm'][])
    it(`every crop of a partial study holds annotated voxels (${spacing === 'native' ? 'native grid' : 'resampled to 2 mm'})`, async () => {
      const sampler = new PatchSampler(
        [study('full'), study('partial', [3, 20])],
        [study('u')],
        options(spacing),
        createRng(5),
      );
      const patch = 8 * 8 * 4;
      let partialItems = 0;
      for (let n = 0; n < 60; n++) {
        const batch = await sampler.nextBatch(2, 1);
        batch.partial.forEach((isPartial, b) => {
          const known = batch.annotated?.subarray(b * patch, (b + 1) * patch);
          if (!isPartial) {
            if (known) expect(known.every((x) => x === 1)).toBe(true);
            return;
          }
          partialItems++;
          // Whole axial planes (the patch is 4 slices thick, the annotated ones 17 apart).
          let ones = 0;
          for (let k = 0; k < 4; k++) {
            const plane = known!.subarray(k * 64, (k + 1) * 64);
            const sum = plane.reduce((a, x) => a + x, 0);
            expect([0, 64]).toContain(sum);
            ones += sum;
          }
          expect(ones).toBeGreaterThan(0);
        });
        if (!batch.partial.some(Boolean)) expect(batch.annotated).toBeUndefined();
      }
      expect(partialItems).toBeGreaterThan(10);
    });
});
