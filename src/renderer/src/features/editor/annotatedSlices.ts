// Annotated slices of the open study (renderer, pure): which file slices a person painted on or
// marked done ("no structure here" included), per voxel axis — the set a label version stores
// beside its mask (contract: AnnotatedSlices). Painting adds the slice in view; marking toggles.
import type { AnnotatedSlices } from '../../../../shared/contract/project';

export type Axis = 0 | 1 | 2;
const KEYS = ['i', 'j', 'k'] as const;

export const NO_SLICES: AnnotatedSlices = { i: [], j: [], k: [] };

/** A copy with `index` added on `axis` (kept sorted, no duplicates); the same object if present. */
export function withSlice(slices: AnnotatedSlices, axis: Axis, index: number): AnnotatedSlices {
  const key = KEYS[axis];
  if (slices[key].includes(index)) return slices;
  return { ...slices, [key]: [...slices[key], index].sort((a, b) => a - b) };
}

/** A copy with `index` on `axis` added, or removed when it was there. */
export function toggleSlice(slices: AnnotatedSlices, axis: Axis, index: number): AnnotatedSlices {
  const key = KEYS[axis];
  return slices[key].includes(index)
    ? { ...slices, [key]: slices[key].filter((n) => n !== index) }
    : withSlice(slices, axis, index);
}

export function isAnnotated(slices: AnnotatedSlices, axis: Axis, index: number): boolean {
  return slices[KEYS[axis]].includes(index);
}

export function slicesOn(slices: AnnotatedSlices, axis: Axis): number[] {
  return slices[KEYS[axis]];
}

export function sliceTotal(slices: AnnotatedSlices): number {
  return slices.i.length + slices.j.length + slices.k.length;
}

/** The same set, compared by content (saves are skipped for no change). */
export function sameSlices(a: AnnotatedSlices, b: AnnotatedSlices): boolean {
  return KEYS.every(
    (key) => a[key].length === b[key].length && a[key].every((n, x) => n === b[key][x]),
  );
}

/**
 * The next slice after `from` (wrapping round) along an axis of `count` slices that is not
 * annotated; null when every slice is.
 */
export function nextUnannotated(
  slices: AnnotatedSlices,
  axis: Axis,
  from: number,
  count: number,
): number | null {
  const done = new Set(slices[KEYS[axis]]);
  for (let step = 1; step <= count; step++) {
    const index = (from + step) % count;
    if (!done.has(index)) return index;
  }
  return null;
}
