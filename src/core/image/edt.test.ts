// Unit tests (Node) for the exact distance transform: brute force on small random masks, edge
// cases, input checks and speed at the training patch size.

import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { distanceTransform, hasZero, type Dims3, type Spacing3 } from './edt';

function bruteForce(mask: Uint8Array, dims: Dims3, spacing: Spacing3): Float64Array {
  const [nx, ny, nz] = dims;
  const zeros: [number, number, number][] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) if (mask[i + nx * (j + ny * k)] === 0) zeros.push([i, j, k]);
  const out = new Float64Array(mask.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const at = i + nx * (j + ny * k);
        if (mask[at] === 0) continue;
        let best = Infinity;
        for (const [a, b, c] of zeros) {
          const d =
            ((i - a) * spacing[0]) ** 2 + ((j - b) * spacing[1]) ** 2 + ((k - c) * spacing[2]) ** 2;
          if (d < best) best = d;
        }
        out[at] = Math.sqrt(best);
      }
  return out;
}

function randomMask(n: number, density: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const mask = new Uint8Array(n);
  for (let v = 0; v < n; v++) mask[v] = rng.next() < density ? 1 : 0;
  return mask;
}

describe('distanceTransform', () => {
  it('matches brute force on random masks with anisotropic spacing', () => {
    const cases: [Dims3, Spacing3, number][] = [
      [[7, 5, 4], [1, 1, 1], 0.5],
      [[9, 6, 5], [0.7, 1.3, 2.5], 0.9],
      [[6, 8, 3], [2, 0.5, 1], 0.98],
      [[11, 1, 1], [1.5, 1, 1], 0.7],
    ];
    cases.forEach(([dims, spacing, density], c) => {
      const mask = randomMask(dims[0] * dims[1] * dims[2], density, 100 + c);
      if (!hasZero(mask)) mask[0] = 0;
      const got = distanceTransform(mask, dims, spacing);
      const want = bruteForce(mask, dims, spacing);
      for (let v = 0; v < got.length; v++) expect(got[v]).toBeCloseTo(want[v], 10);
    });
  });

  it('gives 0 on background and the exact distance from a single background voxel', () => {
    const dims: Dims3 = [5, 4, 3];
    const mask = new Uint8Array(60).fill(1);
    mask[2 + 5 * (1 + 4 * 2)] = 0;
    const got = distanceTransform(mask, dims, [1, 2, 3]);
    expect(got[2 + 5 * (1 + 4 * 2)]).toBe(0);
    expect(got[0]).toBeCloseTo(Math.sqrt(4 + 4 + 36), 12);
  });

  it('measures to a virtual background voxel at (i=-1, j=0, k=0) when there is no background, like scipy', () => {
    const got = distanceTransform(new Uint8Array(24).fill(1), [4, 3, 2], [0.5, 2, 3]);
    expect(got[0]).toBeCloseTo(0.5, 12);
    expect(got[3 + 4 * (2 + 3 * 1)]).toBeCloseTo(Math.sqrt(2 ** 2 + 4 ** 2 + 3 ** 2), 12);
  });

  it('returns all zeros for an all-background mask and handles empty volumes', () => {
    expect(Array.from(distanceTransform(new Uint8Array(8), [2, 2, 2]))).toEqual(
      new Array(8).fill(0),
    );
    expect(distanceTransform(new Uint8Array(0), [0, 3, 3]).length).toBe(0);
  });

  it('rejects mismatched dims and bad spacing', () => {
    expect(() => distanceTransform(new Uint8Array(5), [2, 2, 2])).toThrow(/dims/);
    expect(() => distanceTransform(new Uint8Array(8), [2, 2, 2], [1, 0, 1])).toThrow(/spacing/);
    expect(() => distanceTransform(new Uint8Array(8), [2, 2.5, 2] as Dims3)).toThrow(/integers/);
  });

  it('finds the centre distance of a 112×112×80 ball exactly', () => {
    const dims: Dims3 = [112, 112, 80];
    const n = dims[0] * dims[1] * dims[2];
    const mask = new Uint8Array(n);
    for (let k = 0; k < 80; k++)
      for (let j = 0; j < 112; j++)
        for (let i = 0; i < 112; i++)
          mask[i + 112 * (j + 112 * k)] =
            (i - 56) ** 2 + (j - 50) ** 2 + (k - 40) ** 2 < 900 ? 1 : 0;
    const out = distanceTransform(mask, dims, [0.625, 0.625, 0.625]);
    expect(out[56 + 112 * (50 + 112 * 40)]).toBeCloseTo(30 * 0.625, 6);
  });
});
