// Unit tests for the surface-distance metrics: hand-computed cases, a brute-force nearest
// surface voxel search, and the bounding-box crop being invisible in the results.
import { describe, expect, it } from 'vitest';
import type { Dims3, Spacing3 } from '../image/edt';
import { directedDistances, percentileSorted, surfaceMetrics, surfaceOf } from './surface';
import { ballMask, blobPair, boxMask } from './testing';

function coords(mask: Uint8Array, dims: Dims3): Dims3[] {
  const out: Dims3[] = [];
  for (let v = 0; v < mask.length; v++)
    if (mask[v]) {
      const i = v % dims[0];
      const j = Math.floor(v / dims[0]) % dims[1];
      out.push([i, j, Math.floor(v / (dims[0] * dims[1]))]);
    }
  return out;
}

function bruteDirected(from: Uint8Array, to: Uint8Array, dims: Dims3, s: Spacing3): number[] {
  const targets = coords(to, dims);
  return coords(from, dims).map(([i, j, k]) =>
    Math.min(
      ...targets.map(([a, b, c]) => Math.hypot((i - a) * s[0], (j - b) * s[1], (k - c) * s[2])),
    ),
  );
}

describe('surfaceOf', () => {
  it('keeps the 26-voxel shell of a 3×3×3 cube and drops its centre', () => {
    const dims: Dims3 = [5, 5, 5];
    const cube = boxMask(dims, [1, 1, 1], [4, 4, 4]);
    const s = surfaceOf(cube, dims);
    expect(s.reduce((a, b) => a + b, 0)).toBe(26);
    expect(s[2 + 5 * (2 + 5 * 2)]).toBe(0);
  });

  it('treats outside the volume as background (scipy border_value 0)', () => {
    const dims: Dims3 = [3, 3, 3];
    const full = new Uint8Array(27).fill(1);
    const s = surfaceOf(full, dims);
    expect(s.reduce((a, b) => a + b, 0)).toBe(26);
    expect(s[13]).toBe(0);
    // A one-voxel-thick volume has no interior at all.
    expect(surfaceOf(new Uint8Array(12).fill(1), [4, 3, 1]).every((x) => x === 1)).toBe(true);
  });
});

describe('percentileSorted', () => {
  it('matches numpy.percentile linear interpolation', () => {
    // numpy.percentile([1, 2, 3, 4], 95) == 3.85; [0, 10], 95 -> 9.5; single value -> itself.
    expect(percentileSorted([1, 2, 3, 4], 95)).toBeCloseTo(3.85, 12);
    expect(percentileSorted([0, 10], 95)).toBeCloseTo(9.5, 12);
    expect(percentileSorted([7], 95)).toBe(7);
    expect(percentileSorted([1, 2, 3], 100)).toBe(3);
    expect(percentileSorted([1, 2, 3], 0)).toBe(1);
  });
});

describe('surfaceMetrics', () => {
  it('two single voxels 3 apart along i: 3 voxels, 6 mm with 2 mm spacing', () => {
    const dims: Dims3 = [8, 3, 3];
    const a = boxMask(dims, [1, 1, 1], [2, 2, 2]);
    const b = boxMask(dims, [4, 1, 1], [5, 2, 2]);
    expect(surfaceMetrics(a, b, dims)).toEqual({ hd95: 3, asd: 3, assd: 3 });
    expect(surfaceMetrics(a, b, dims, [2, 0.5, 0.5])).toEqual({ hd95: 6, asd: 6, assd: 6 });
  });

  it('asd is prediction → truth and assd the mean of both directional means', () => {
    // A single predicted voxel at the centre of a 5×5×5 true cube: pred→truth is 2 (to the
    // nearest face), truth→pred is the mean distance of the 98 shell voxels to the centre.
    const dims: Dims3 = [7, 7, 7];
    const pred = boxMask(dims, [3, 3, 3], [4, 4, 4]);
    const truth = boxMask(dims, [1, 1, 1], [6, 6, 6]);
    const back = bruteDirected(surfaceOf(truth, dims), pred, dims, [1, 1, 1]);
    expect(back).toHaveLength(98);
    const backMean = back.reduce((s, x) => s + x, 0) / back.length;
    const m = surfaceMetrics(pred, truth, dims)!;
    expect(m.asd).toBeCloseTo(2, 12);
    expect(m.assd).toBeCloseTo((2 + backMean) / 2, 12);
    expect(surfaceMetrics(truth, pred, dims)!.asd).toBeCloseTo(backMean, 12);
  });

  it('directed distances equal a brute-force nearest surface voxel search', () => {
    const dims: Dims3 = [14, 11, 9];
    const spacing: Spacing3 = [0.7, 1.3, 2.1];
    const { pred, truth } = blobPair(dims, 3, 0.25, 1);
    const ps = surfaceOf(pred, dims);
    const ts = surfaceOf(truth, dims);
    const got = Array.from(directedDistances(ps, ts, dims, spacing));
    const want = bruteDirected(ps, ts, dims, spacing);
    expect(got.length).toBeGreaterThan(20);
    got.forEach((d, n) => expect(d).toBeCloseTo(want[n]!, 9));
  });

  it('gives the same values when the masks sit in a larger volume (crop is exact)', () => {
    const small: Dims3 = [10, 9, 8];
    const big: Dims3 = [19, 14, 21];
    const pred = ballMask(small, [4, 4, 3], 3.2);
    const truth = boxMask(small, [3, 2, 2], [9, 8, 7]);
    const embed = (m: Uint8Array) => {
      const out = new Uint8Array(big[0] * big[1] * big[2]);
      for (let v = 0; v < m.length; v++) {
        const i = v % small[0];
        const j = Math.floor(v / small[0]) % small[1];
        const k = Math.floor(v / (small[0] * small[1]));
        out[i + 5 + big[0] * (j + 3 + big[1] * (k + 7))] = m[v]!;
      }
      return out;
    };
    const spacing: Spacing3 = [1.1, 0.6, 2];
    const a = surfaceMetrics(pred, truth, small, spacing)!;
    const b = surfaceMetrics(embed(pred), embed(truth), big, spacing)!;
    expect(b.hd95).toBeCloseTo(a.hd95, 12);
    expect(b.asd).toBeCloseTo(a.asd, 12);
    expect(b.assd).toBeCloseTo(a.assd, 12);
  });

  it('is null when either mask is empty and refuses masks that do not match dims', () => {
    const dims: Dims3 = [4, 4, 4];
    const empty = new Uint8Array(64);
    const box = boxMask(dims, [1, 1, 1], [3, 3, 3]);
    expect(surfaceMetrics(empty, box, dims)).toBeNull();
    expect(surfaceMetrics(box, empty, dims)).toBeNull();
    expect(surfaceMetrics(empty, empty, dims)).toBeNull();
    expect(() => surfaceMetrics(box, new Uint8Array(10), dims)).toThrow(/truth has 10 voxels/);
  });
});
