// Labelmap differences (renderer, pure): one undo step is the list of voxels an edit changed,
// with their values before and after — small for a stroke, exact for any tool.
export interface LabelDiff {
  indices: Uint32Array;
  before: Uint8Array;
  after: Uint8Array;
}

export function diffLabels(before: Uint8Array, after: Uint8Array): LabelDiff | null {
  if (before.length !== after.length) throw new Error('Label grids differ in size.');
  let count = 0;
  for (let n = 0; n < before.length; n++) if (before[n] !== after[n]) count++;
  if (count === 0) return null;
  const diff: LabelDiff = {
    indices: new Uint32Array(count),
    before: new Uint8Array(count),
    after: new Uint8Array(count),
  };
  for (let n = 0, m = 0; n < before.length; n++) {
    if (before[n] === after[n]) continue;
    diff.indices[m] = n;
    diff.before[m] = before[n]!;
    diff.after[m] = after[n]!;
    m++;
  }
  return diff;
}

/** Writes a step's values into `target` (undo writes `before`, redo writes `after`). */
export function applyDiff(target: Uint8Array, diff: LabelDiff, direction: 'undo' | 'redo'): void {
  const values = direction === 'undo' ? diff.before : diff.after;
  for (let n = 0; n < diff.indices.length; n++) target[diff.indices[n]!] = values[n]!;
}

export function diffByteSize(diff: LabelDiff): number {
  return diff.indices.byteLength + diff.before.byteLength + diff.after.byteLength;
}
