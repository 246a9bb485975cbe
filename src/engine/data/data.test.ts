import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import type { Vec3 } from '../../core/volume/volume';
import { normalizeIntensity } from './intensity';
import { augment, cropBox, randomStart, startAround } from './patches';
import { resampledAffine, resampledDims, resampleLinear, resampleNearest } from './resample';

describe('resampling', () => {
  it('keeps the field of view and maps voxel centres consistently', () => {
    expect(resampledDims([100, 100, 40], [1, 1, 2.5], [2, 2, 2])).toEqual([50, 50, 50]);
    const affine = [1, 0, 0, 10, 0, 1, 0, 20, 0, 0, 2.5, 30, 0, 0, 0, 1];
    const next = resampledAffine(affine, [100, 100, 40], [50, 50, 50]);
    // New voxel 0 covers old voxels 0 and 1 along i: its centre is at old index 0.5.
    expect(next[3]).toBeCloseTo(10.5, 9);
    expect(next[0]).toBeCloseTo(2, 9);
    expect(next[10]).toBeCloseTo(2, 9);
    expect(next[11]).toBeCloseTo(30 + 2.5 * (0.5 * 0.8 - 0.5), 9);
  });

  it('is the identity at the same size and exact on linear ramps', () => {
    const dims: Vec3 = [6, 5, 4];
    const data = Float32Array.from({ length: 120 }, (_, n) => n % 6);
    expect(resampleLinear(data, dims, dims)).toEqual(data);
    const up = resampleLinear(data, dims, [12, 5, 4]);
    // Interior samples of a ramp along i stay on the ramp.
    expect(up[5]).toBeCloseTo(2.25, 5);
  });

  it('nearest keeps label values', () => {
    const labels = Uint8Array.from({ length: 27 }, (_, n) => n % 3);
    const out = resampleNearest(labels, [3, 3, 3], [6, 6, 6]);
    expect(new Set(out)).toEqual(new Set([0, 1, 2]));
    expect(out[0]).toBe(0);
    expect(out[5]).toBe(2);
  });
});

describe('patches', () => {
  it('crops with zero padding where the box overhangs', () => {
    const src = Uint8Array.from({ length: 8 }, (_, n) => n + 1);
    const out = cropBox(src, [2, 2, 2], [-1, 0, 0], [2, 2, 2], new Uint8Array(8));
    expect(Array.from(out)).toEqual([0, 1, 0, 3, 0, 5, 0, 7]);
  });

  it('random starts stay inside and foreground crops contain the voxel', () => {
    const rng = createRng(3);
    for (let t = 0; t < 100; t++) {
      const s = randomStart([20, 20, 10], [8, 8, 4], rng);
      expect(s.every((v, a) => v >= 0 && v + [8, 8, 4][a]! <= [20, 20, 10][a]!)).toBe(true);
      const voxel: Vec3 = [rng.int(20), rng.int(20), rng.int(10)];
      const f = startAround([20, 20, 10], [8, 8, 4], voxel, rng);
      expect(f.every((v, a) => voxel[a]! >= v && voxel[a]! < v + [8, 8, 4][a]!)).toBe(true);
    }
  });

  it('rotations and flips are permutations that compose like the dihedral group', () => {
    const size: Vec3 = [4, 4, 2];
    const src = Float32Array.from({ length: 32 }, (_, n) => n);
    const r1 = augment(src, size, { rot90: 1, flipI: false, flipJ: false });
    expect([...r1].sort((a, b) => a - b)).toEqual([...src]);
    const r4 = [1, 2, 3, 4].reduce(
      (x) => augment(x, size, { rot90: 1, flipI: false, flipJ: false }),
      src,
    );
    expect(r4).toEqual(src);
    const r2 = augment(src, size, { rot90: 2, flipI: false, flipJ: false });
    expect(r2).toEqual(augment(src, size, { rot90: 0, flipI: true, flipJ: true }));
    // Slices never mix.
    expect(Math.max(...r1.slice(0, 16))).toBeLessThan(16);
  });
});

describe('intensity', () => {
  it('z-scores to mean 0 and std 1, and windows CT into [-1, 1]', () => {
    const z = normalizeIntensity(Float32Array.from([1, 2, 3, 4]), { kind: 'zscore' });
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 6);
    expect(z.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(1, 5);
    const ct = normalizeIntensity(Int16Array.from([-2000, -1000, 0, 1000, 3000]), {
      kind: 'ct-window',
      minHu: -1000,
      maxHu: 1000,
    });
    expect(Array.from(ct)).toEqual([-1, -1, 0, 1, 1]);
  });
});
