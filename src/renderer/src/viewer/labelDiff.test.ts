// Unit tests for labelmap diffs (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import { applyDiff, diffLabels } from './labelDiff';

describe('diffLabels', () => {
  it('records exactly the changed voxels and undoes/redoes them', () => {
    const before = Uint8Array.from([0, 0, 1, 1, 0, 2]);
    const after = Uint8Array.from([0, 1, 1, 0, 0, 1]);
    const diff = diffLabels(before, after)!;
    expect(Array.from(diff.indices)).toEqual([1, 3, 5]);
    expect(Array.from(diff.before)).toEqual([0, 1, 2]);
    expect(Array.from(diff.after)).toEqual([1, 0, 1]);
    const data = after.slice();
    applyDiff(data, diff, 'undo');
    expect(Array.from(data)).toEqual(Array.from(before));
    applyDiff(data, diff, 'redo');
    expect(Array.from(data)).toEqual(Array.from(after));
  });

  it('returns null when nothing changed', () => {
    expect(diffLabels(new Uint8Array(4), new Uint8Array(4))).toBeNull();
  });
});
