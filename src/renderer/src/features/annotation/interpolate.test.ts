// Unit tests for slice interpolation (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import { interpolateLabel, squaredDistance2d } from './interpolate';

function disc(
  data: Uint8Array,
  dims: number[],
  k: number,
  cx: number,
  cy: number,
  r: number,
  v = 1,
) {
  for (let y = 0; y < dims[1]!; y++)
    for (let x = 0; x < dims[0]!; x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[x + dims[0]! * (y + dims[1]! * k)] = v;
}

const count = (data: Uint8Array, dims: number[], k: number, v = 1) => {
  let n = 0;
  const slice = dims[0]! * dims[1]!;
  for (let p = 0; p < slice; p++) if (data[k * slice + p] === v) n++;
  return n;
};

describe('squaredDistance2d', () => {
  it('matches brute force', () => {
    const w = 7;
    const h = 5;
    const target = new Uint8Array(w * h);
    target[3] = 1;
    target[2 + w * 4] = 1;
    const d = squaredDistance2d(target, w, h, [1, 2]);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const brute = Math.min((x - 3) ** 2 + (2 * y) ** 2, (x - 2) ** 2 + (2 * (y - 4)) ** 2);
        expect(d[x + w * y]).toBeCloseTo(brute, 9);
      }
  });
});

describe('interpolateLabel', () => {
  it('grows a disc linearly between two annotated slices and leaves other labels alone', () => {
    const dims: [number, number, number] = [32, 32, 5];
    const data = new Uint8Array(32 * 32 * 5);
    disc(data, dims, 0, 16, 16, 4);
    disc(data, dims, 4, 16, 16, 12);
    data[16 + 32 * (16 + 32 * 2)] = 2; // another label in the middle slice
    const result = interpolateLabel(data, dims, [1, 1, 1], 2, 1);
    expect(result.annotatedSlices).toEqual([0, 4]);
    expect(result.filledSlices).toEqual([1, 2, 3]);
    // Radius 8 in the middle: area ≈ π·64 ≈ 201.
    expect(Math.abs(count(result.data, dims, 2) - Math.PI * 64)).toBeLessThan(20);
    expect(count(result.data, dims, 1)).toBeLessThan(count(result.data, dims, 2));
    expect(count(result.data, dims, 2)).toBeLessThan(count(result.data, dims, 3));
    expect(result.data[16 + 32 * (16 + 32 * 2)]).toBe(2);
    expect(Array.from(result.data.subarray(0, 32 * 32))).toEqual(
      Array.from(data.subarray(0, 32 * 32)),
    );
  });

  it('interpolates along i as well', () => {
    const dims: [number, number, number] = [5, 8, 8];
    const data = new Uint8Array(5 * 8 * 8);
    for (const i of [0, 4])
      for (let j = 2; j < 6; j++) for (let k = 2; k < 6; k++) data[i + 5 * (j + 8 * k)] = 1;
    const result = interpolateLabel(data, dims, [1, 1, 1], 0, 1);
    expect(result.filledSlices).toEqual([1, 2, 3]);
    for (const i of [1, 2, 3]) expect(result.data[i + 5 * (3 + 8 * 3)]).toBe(1);
  });
});
