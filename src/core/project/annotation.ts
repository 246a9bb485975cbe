// Slice-level annotation state (pure): which slices of a label version a person annotated,
// checked against the grid; the voxels those slices cover (what training may trust and what an
// nnU-Net "ignore" export keeps); and the warnings shown when an annotation is marked finished
// although its paint suggests slices were never looked at.
import type { AnnotatedSlices } from '../../shared/contract/project';
import { AppError } from '../errors';
import type { Vec3 } from '../volume/volume';

const AXES = ['i', 'j', 'k'] as const;

export const NO_SLICES: AnnotatedSlices = { i: [], j: [], k: [] };

/** Sorted, unique, inside the grid; BAD_INPUT naming the first index that is not. */
export function normalizeAnnotatedSlices(
  slices: AnnotatedSlices,
  dims: Vec3,
  what: string,
): AnnotatedSlices {
  const out = { ...NO_SLICES };
  AXES.forEach((axis, a) => {
    const bad = slices[axis].find((s) => !Number.isInteger(s) || s < 0 || s >= dims[a]!);
    if (bad !== undefined)
      throw new AppError(
        'BAD_INPUT',
        `${what}: annotated ${axis}-slice ${bad} is outside the grid (0…${dims[a]! - 1}).`,
      );
    out[axis] = [...new Set(slices[axis])].sort((x, y) => x - y);
  });
  return out;
}

/** Adds slices (e.g. the ones just painted) to a set, keeping it sorted and unique. */
export function withSlices(base: AnnotatedSlices, more: Partial<AnnotatedSlices>): AnnotatedSlices {
  const merged = { ...NO_SLICES };
  for (const axis of AXES)
    merged[axis] = [...new Set([...base[axis], ...(more[axis] ?? [])])].sort((x, y) => x - y);
  return merged;
}

/** 1 where a voxel lies on an annotated slice of any axis, 0 elsewhere (i fastest). */
export function annotatedVoxels(slices: AnnotatedSlices, dims: Vec3): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  const onJ = new Uint8Array(ny);
  for (const j of slices.j) onJ[j] = 1;
  const onK = new Set(slices.k);
  for (let k = 0; k < nz; k++) {
    const base = nx * ny * k;
    if (onK.has(k)) {
      out.fill(1, base, base + nx * ny);
      continue;
    }
    for (let j = 0; j < ny; j++) {
      const row = base + nx * j;
      if (onJ[j]) {
        out.fill(1, row, row + nx);
        continue;
      }
      for (const i of slices.i) out[row + i] = 1;
    }
  }
  return out;
}

/** Foreground voxels per k-slice. */
function paintPerSlice(data: Uint8Array, dims: Vec3): number[] {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  return Array.from({ length: nz }, (_, k) => {
    let n = 0;
    for (let v = k * plane; v < (k + 1) * plane; v++) if (data[v]) n++;
    return n;
  });
}

/**
 * Why marking this mask finished may be wrong: finishing says every unpainted voxel is
 * background. Warns when the painted k-slices leave gaps inside the structure's extent, or
 * when the structure is still large on its first or last painted slice away from the volume's
 * edge (it probably continues there). The user may finish anyway.
 */
export function finishWarnings(data: Uint8Array, dims: Vec3): string[] {
  const perSlice = paintPerSlice(data, dims);
  const painted = perSlice.flatMap((n, k) => (n > 0 ? [k] : []));
  if (painted.length === 0) return [];
  const first = painted[0]!;
  const last = painted.at(-1)!;
  const warnings: string[] = [];
  const gaps = last - first + 1 - painted.length;
  if (gaps > 0)
    warnings.push(
      `${gaps} slice${gaps === 1 ? '' : 's'} between slice ${first} and slice ${last} ` +
        'have no paint, so they become "no structure here".',
    );
  const largest = Math.max(...perSlice);
  const open = [first, last].filter(
    (k) => k > 0 && k < dims[2] - 1 && perSlice[k]! >= 0.5 * largest,
  );
  if (open.length > 0)
    warnings.push(
      `The structure is still large on slice ${[...new Set(open)].join(' and ')}; it probably ` +
        'continues on the next slices, which are unpainted.',
    );
  return warnings;
}
