// Unit tests (Node) for ground-truth signed distance maps: hand-computed values, signs, range,
// boundary and border handling, degenerate masks, multi-class and batch layout.

import { describe, expect, it } from 'vitest';
import { computeSdm, computeSdmBatch, signedDistanceMap } from './sdm';

describe('signedDistanceMap', () => {
  it('matches hand-computed values on a 1-D row', () => {
    // object at i = 3..7 of 10: posdis = 1,2,3,2,1 (max 3); negdis = 3,2,1 / 1,2 (max 3)
    const mask = Uint8Array.from([0, 0, 0, 1, 1, 1, 1, 1, 0, 0]);
    const sdm = signedDistanceMap(mask, [10, 1, 1]);
    const want = [1, 2 / 3, 1 / 3, 0, -2 / 3, -1, -2 / 3, 0, 1 / 3, 2 / 3];
    want.forEach((w, i) => expect(sdm[i]).toBeCloseTo(w, 6));
  });

  it('is positive outside, negative strictly inside, zero on the inner boundary, in [−1, 1]', () => {
    const dims: [number, number, number] = [9, 9, 9];
    const mask = new Uint8Array(729);
    for (let k = 0; k < 9; k++)
      for (let j = 0; j < 9; j++)
        for (let i = 0; i < 9; i++)
          mask[i + 9 * (j + 9 * k)] = (i - 4) ** 2 + (j - 4) ** 2 + (k - 4) ** 2 <= 9 ? 1 : 0;
    const sdm = signedDistanceMap(mask, dims);
    expect(sdm[4 + 9 * (4 + 9 * 4)]).toBe(-1);
    expect(Math.max(...sdm)).toBe(1);
    expect(sdm[4 + 9 * (4 + 9 * 1)]).toBe(0); // (4,4,1) is an object voxel next to (4,4,0)
    for (let v = 0; v < 729; v++) {
      if (mask[v] === 0) expect(sdm[v]).toBeGreaterThan(0);
      else expect(sdm[v]).toBeLessThanOrEqual(0);
    }
  });

  it('does not treat the volume border as a boundary', () => {
    // object fills i = 0..2; voxels at i = 0 touch only the border, not the background
    const mask = Uint8Array.from([1, 1, 1, 0, 0]);
    const sdm = signedDistanceMap(mask, [5, 1, 1]);
    expect(sdm[0]).toBeCloseTo(-1, 6); // posdis 3 / max 3
    expect(sdm[1]).toBeCloseTo(-2 / 3, 6);
    expect(sdm[2]).toBe(0);
  });

  it('gives zeros for empty and for full masks', () => {
    expect(Array.from(signedDistanceMap(new Uint8Array(27), [3, 3, 3]))).toEqual(
      new Array(27).fill(0),
    );
    expect(Array.from(signedDistanceMap(new Uint8Array(27).fill(1), [3, 3, 3]))).toEqual(
      new Array(27).fill(0),
    );
  });
});

describe('computeSdm / computeSdmBatch', () => {
  it('writes one channels-last channel per foreground class', () => {
    const labels = Uint8Array.from([0, 1, 1, 0, 2, 2, 2, 0]);
    const out = computeSdm(labels, [8, 1, 1], 3);
    const class1 = signedDistanceMap(
      Uint8Array.from(labels, (l) => (l === 1 ? 1 : 0)),
      [8, 1, 1],
    );
    const class2 = signedDistanceMap(
      Uint8Array.from(labels, (l) => (l === 2 ? 1 : 0)),
      [8, 1, 1],
    );
    for (let v = 0; v < 8; v++) {
      expect(out[2 * v]).toBe(class1[v]);
      expect(out[2 * v + 1]).toBe(class2[v]);
    }
  });

  it('concatenates volumes of a batch', () => {
    const a = Uint8Array.from([0, 1, 1, 0, 0, 0]);
    const b = Uint8Array.from([1, 1, 0, 0, 0, 1]);
    const batch = computeSdmBatch(Uint8Array.from([...a, ...b]), [6, 1, 1], 2, 2);
    expect(Array.from(batch)).toEqual([
      ...computeSdm(a, [6, 1, 1], 2),
      ...computeSdm(b, [6, 1, 1], 2),
    ]);
  });

  it('rejects bad sizes and class counts', () => {
    expect(() => computeSdm(new Uint8Array(5), [2, 2, 2], 2)).toThrow(/dims/);
    expect(() => computeSdm(new Uint8Array(8), [2, 2, 2], 1)).toThrow(/numClasses/);
    expect(() => computeSdmBatch(new Uint8Array(9), [2, 2, 2], 2, 1)).toThrow(/batchSize/);
  });
});
