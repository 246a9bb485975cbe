// Annotated slices as sets per axis (pure; runs in Node): painting adds, marking toggles, the
// next unannotated slice wraps round, and the set compares by content.
import { describe, expect, it } from 'vitest';
import {
  NO_SLICES,
  isAnnotated,
  nextUnannotated,
  sameSlices,
  sliceTotal,
  toggleSlice,
  withSlice,
} from './annotatedSlices';

describe('annotated slices', () => {
  it('adds slices once, sorted, per axis', () => {
    let s = withSlice(NO_SLICES, 2, 10);
    s = withSlice(s, 2, 3);
    expect(withSlice(s, 2, 10)).toBe(s);
    s = withSlice(s, 0, 7);
    expect(s).toEqual({ i: [7], j: [], k: [3, 10] });
    expect(sliceTotal(s)).toBe(3);
    expect(isAnnotated(s, 2, 3)).toBe(true);
    expect(isAnnotated(s, 1, 3)).toBe(false);
    expect(NO_SLICES).toEqual({ i: [], j: [], k: [] });
  });

  it('toggles a mark on and off', () => {
    const on = toggleSlice(NO_SLICES, 1, 4);
    expect(on.j).toEqual([4]);
    expect(toggleSlice(on, 1, 4).j).toEqual([]);
  });

  it('finds the next unannotated slice after the one in view, wrapping round', () => {
    const s = { i: [], j: [], k: [0, 1, 2, 5] };
    expect(nextUnannotated(s, 2, 0, 6)).toBe(3);
    expect(nextUnannotated(s, 2, 3, 6)).toBe(4);
    expect(nextUnannotated(s, 2, 4, 6)).toBe(3);
    expect(nextUnannotated({ i: [], j: [], k: [0, 1, 2] }, 2, 1, 3)).toBeNull();
    expect(nextUnannotated(s, 0, 0, 6)).toBe(1);
  });

  it('compares sets by content', () => {
    expect(sameSlices({ i: [1], j: [], k: [2, 3] }, { i: [1], j: [], k: [2, 3] })).toBe(true);
    expect(sameSlices({ i: [1], j: [], k: [2, 3] }, { i: [1], j: [], k: [2] })).toBe(false);
  });
});
