import { describe, expect, it } from 'vitest';
import {
  annotatedVoxels,
  finishWarnings,
  normalizeAnnotatedSlices,
  withSlices,
} from './annotation';

describe('annotated slices', () => {
  it('are sorted and unique, and refused outside the grid with the index at fault', () => {
    expect(normalizeAnnotatedSlices({ i: [], j: [2, 0, 2], k: [5, 1] }, [3, 4, 6], 'x')).toEqual({
      i: [],
      j: [0, 2],
      k: [1, 5],
    });
    expect(() => normalizeAnnotatedSlices({ i: [], j: [], k: [6] }, [3, 4, 6], 'Label')).toThrow(
      /annotated k-slice 6 is outside the grid \(0…5\)/,
    );
    expect(withSlices({ i: [], j: [], k: [4] }, { k: [1, 4] })).toEqual({
      i: [],
      j: [],
      k: [1, 4],
    });
  });

  it('cover the voxels of every annotated plane, of any axis', () => {
    const dims: [number, number, number] = [3, 4, 5];
    const mask = annotatedVoxels({ i: [2], j: [1], k: [3] }, dims);
    for (let k = 0; k < 5; k++)
      for (let j = 0; j < 4; j++)
        for (let i = 0; i < 3; i++)
          expect(mask[i + 3 * (j + 4 * k)], `${i},${j},${k}`).toBe(
            i === 2 || j === 1 || k === 3 ? 1 : 0,
          );
  });
});

describe('finishing an annotation', () => {
  const dims: [number, number, number] = [4, 4, 10];
  const painted = (slices: Record<number, number>) => {
    const data = new Uint8Array(160);
    for (const [k, n] of Object.entries(slices)) data.fill(1, 16 * Number(k), 16 * Number(k) + n);
    return data;
  };

  it('warns about one stroke on one slice of many: the structure continues unpainted', () => {
    expect(finishWarnings(painted({ 5: 6 }), dims)).toEqual([
      expect.stringMatching(/still large on slice 5; it probably continues/),
    ]);
  });

  it('warns about unpainted slices inside the structure', () => {
    const warnings = finishWarnings(painted({ 0: 2, 1: 8, 4: 8, 9: 2 }), dims);
    expect(warnings).toEqual([
      expect.stringMatching(/^6 slices between slice 0 and slice 9 have no paint/),
    ]);
  });

  it('says nothing for a structure painted through, tapering at both ends, or empty', () => {
    expect(finishWarnings(painted({ 2: 2, 3: 8, 4: 9, 5: 8, 6: 2 }), dims)).toEqual([]);
    expect(finishWarnings(new Uint8Array(160), dims)).toEqual([]);
  });
});
