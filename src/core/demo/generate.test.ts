// Unit tests (Node) for the synthetic left-atrium case generator: determinism, geometry, a
// plausible single connected target with branches, and distractors that defeat thresholding.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { applyAffine, qformAffine, sformAffine } from '../volume/geometry';
import type { Vec3 } from '../volume/volume';
import { dilateBox, erodeBox, maskBounds } from './field';
import { generateDemoCase, type DemoCase } from './generate';
import { bestThresholdDice, componentSizes } from '../../../test/helpers/maskStats';

const SEEDS = [1, 2, 3, 4, 5, 6];
const cache = new Map<string, DemoCase>();
function demo(seed: number, dims?: Vec3): DemoCase {
  const key = `${seed}:${dims?.join('x') ?? 'default'}`;
  if (!cache.has(key)) cache.set(key, generateDemoCase({ seed, dims }));
  return cache.get(key)!;
}

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let v = 0; v < a.length; v++) s += a[v]!;
  return s;
};

describe('generateDemoCase', () => {
  it('is a pure function of the seed', () => {
    const again = generateDemoCase({ seed: 1 });
    expect(bytes(again.image.data).equals(bytes(demo(1).image.data))).toBe(true);
    expect(bytes(again.label.data).equals(bytes(demo(1).label.data))).toBe(true);
    expect(bytes(demo(2).image.data).equals(bytes(demo(1).image.data))).toBe(false);
    expect(bytes(demo(2).label.data).equals(bytes(demo(1).label.data))).toBe(false);
  });

  it('returns an int16 image and a 0/1 uint8 label on one centred, axis-aligned RAS grid', () => {
    const { image, label } = demo(1);
    expect(image.dims).toEqual([96, 96, 64]);
    expect(image.spacingMm).toEqual([1, 1, 1.6]);
    expect(image.data).toBeInstanceOf(Int16Array);
    expect(label.data).toBeInstanceOf(Uint8Array);
    expect(image.data.length).toBe(96 * 96 * 64);
    expect(new Set(label.data)).toEqual(new Set([0, 1]));
    expect(label.dims).toEqual(image.dims);
    expect(label.affine).toEqual(image.affine);
    expect(image.affine).toEqual([1, 0, 0, -47.5, 0, 1, 0, -47.5, 0, 0, 1.6, -50.4, 0, 0, 0, 1]);
    const centre = applyAffine(image.affine, [47.5, 47.5, 31.5]);
    centre.forEach((x) => expect(x).toBeCloseTo(0, 9));
    expect(image.geometry.sformCode).toBe(1);
    expect(image.geometry.qformCode).toBe(1);
    expect(sformAffine(image.geometry)).toEqual(image.affine);
    qformAffine(image.geometry).forEach((x, n) => expect(x).toBeCloseTo(image.affine[n]!, 6));
  });

  it('has MRI-like intensities: a bright target on a darker background, in 0..~2500', () => {
    for (const seed of SEEDS) {
      const { image, label } = demo(seed);
      const data = image.data as Int16Array;
      let min = Infinity;
      let max = -Infinity;
      let inside = 0;
      let outside = 0;
      for (let v = 0; v < data.length; v++) {
        min = Math.min(min, data[v]!);
        max = Math.max(max, data[v]!);
        if (label.data[v]) inside += data[v]!;
        else outside += data[v]!;
      }
      const n = sum(label.data);
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeGreaterThan(1000);
      expect(max).toBeLessThan(2600);
      expect(inside / n).toBeGreaterThan(700);
      expect(inside / n).toBeGreaterThan(1.8 * (outside / (data.length - n)));
    }
  });

  it('has a target of a few percent of the volume, in one 6-connected piece', () => {
    for (const seed of SEEDS) {
      const { label } = demo(seed);
      const fraction = sum(label.data) / label.data.length;
      expect(fraction).toBeGreaterThan(0.01);
      expect(fraction).toBeLessThan(0.08);
      expect(componentSizes(label.data as Uint8Array, label.dims, 6)).toHaveLength(1);
    }
  });

  it('has 2–4 tubular branches: far from an opened core, 2–4 separate pieces remain', () => {
    for (const seed of SEEDS) {
      const { label } = demo(seed);
      const mask = label.data as Uint8Array;
      // Opening by a 11×11×7-voxel box keeps the atrium body and strips tubes of radius ≲ 6 mm;
      // what lies more than ~4 mm outside that core is branch, not surface bumps.
      const radius: Vec3 = [5, 5, 3];
      const core = dilateBox(erodeBox(mask, label.dims, radius), label.dims, radius);
      const near = dilateBox(core, label.dims, [4, 4, 3]);
      const far = mask.map((x, v) => (x && !near[v] ? 1 : 0));
      const branches = componentSizes(far, label.dims, 26).filter((size) => size >= 100);
      expect(branches.length).toBeGreaterThanOrEqual(2);
      expect(branches.length).toBeLessThanOrEqual(4);
      // The branches reach well beyond the body: the label's extent exceeds the core's.
      const whole = maskBounds(mask, label.dims)!;
      const body = maskBounds(core, label.dims)!;
      const growthMm = [0, 1, 2].map(
        (a) => (whole.hi[a]! - whole.lo[a]! - (body.hi[a]! - body.lo[a]!)) * label.spacingMm[a]!,
      );
      expect(Math.max(...growthMm)).toBeGreaterThan(15);
    }
  });

  it('contains distractors: no global threshold reaches Dice 0.6', () => {
    for (const seed of SEEDS) {
      const { image, label } = demo(seed);
      const best = bestThresholdDice(image.data, label.data as Uint8Array);
      expect(best.dice).toBeLessThan(0.6);
      expect(best.dice).toBeGreaterThan(0.05);
    }
  });

  it('scales the anatomy to small grids and keeps the target connected', () => {
    for (const seed of [11, 12, 13]) {
      const { image, label } = demo(seed, [48, 48, 32]);
      expect(image.spacingMm).toEqual([2, 2, 3.2]);
      const fraction = sum(label.data) / label.data.length;
      expect(fraction).toBeGreaterThan(0.01);
      expect(fraction).toBeLessThan(0.08);
      expect(componentSizes(label.data as Uint8Array, label.dims, 26)).toHaveLength(1);
      expect(bestThresholdDice(image.data, label.data as Uint8Array).dice).toBeLessThan(0.6);
    }
    // An explicit spacing with a smaller field of view shrinks the anatomy instead.
    const small = generateDemoCase({ seed: 3, dims: [48, 48, 32], spacingMm: [1, 1, 1.6] });
    const fraction = sum(small.label.data) / small.label.data.length;
    expect(fraction).toBeGreaterThan(0.01);
    expect(fraction).toBeLessThan(0.08);
  });

  it('rejects bad dims, spacing and seed with BAD_INPUT', () => {
    const bad = [
      { seed: 1, dims: [8, 96, 64] as Vec3 },
      { seed: 1, dims: [96.5, 96, 64] as Vec3 },
      { seed: 1, spacingMm: [1, 0, 1] as Vec3 },
      { seed: Number.NaN },
      { seed: 1.5 },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        generateDemoCase(options);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error) && error.code === 'BAD_INPUT').toBe(true);
    }
  });
});
