// Viewer geometry (renderer, pure — no Cornerstone): maps between the project's voxel grid
// (i-fastest, RAS+ affine, NIfTI) and the grid Cornerstone displays (LPS world, right-handed).
//
// Cornerstone works in DICOM patient space (LPS): x' = −x, y' = −y, z' = z. Its volumes are
// described by an origin, spacing and three unit axis directions; a left-handed voxel grid
// (NIfTI qfac −1) is shown with its slices in reverse order so the display grid is always
// right-handed, and `flipK` records that for converting label data both ways.

import { applyAffine, invertAffine } from '../../../shared/affine';

export type Vec3 = [number, number, number];

export interface VoxelGrid {
  dims: Vec3;
  /** Row-major 4×4, voxel (i, j, k, 1) → RAS+ mm. */
  affine: number[];
}

export interface DisplayGrid {
  dimensions: Vec3;
  spacing: Vec3;
  /** LPS position of display voxel (0, 0, 0). */
  origin: Vec3;
  /** Unit directions of the display i, j and k axes in LPS, 9 numbers. */
  direction: number[];
  /** Display slice k is file slice nz − 1 − k. */
  flipK: boolean;
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);

// `+ 0` turns −0 into 0 so results compare and print cleanly.
export const rasToLps = (p: Vec3): Vec3 => [-p[0] + 0, -p[1] + 0, p[2] + 0];
export const lpsToRas = rasToLps;

function column(affine: number[], c: number): Vec3 {
  return [affine[c]!, affine[4 + c]!, affine[8 + c]!];
}

export function displayGrid(grid: VoxelGrid): DisplayGrid {
  const axes = [0, 1, 2].map((c) => rasToLps(column(grid.affine, c)));
  const spacing = axes.map(norm) as Vec3;
  const units = axes.map((a, c) => a.map((x) => x / spacing[c]!) as Vec3);
  const origin = rasToLps(column(grid.affine, 3));
  const flipK = dot(cross(units[0]!, units[1]!), units[2]!) < 0;
  if (flipK) {
    const last = grid.dims[2] - 1;
    for (let axis = 0; axis < 3; axis++) origin[axis] += axes[2]![axis]! * last;
    units[2] = units[2]!.map((x) => -x + 0) as Vec3;
  }
  return { dimensions: [...grid.dims], spacing, origin, direction: units.flat(), flipK };
}

type TypedArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

/** Reorders slices between file and display order (the same operation both ways). */
export function reorderSlices<T extends TypedArray>(data: T, dims: Vec3, flipK: boolean): T {
  if (!flipK) return data;
  const slice = dims[0] * dims[1];
  const out = new (data.constructor as new (length: number) => T)(data.length);
  for (let k = 0; k < dims[2]; k++) {
    out.set(data.subarray(k * slice, (k + 1) * slice), (dims[2] - 1 - k) * slice);
  }
  return out;
}

export function voxelToRas(affine: number[], ijk: Vec3): Vec3 {
  return applyAffine(affine, ijk);
}

/** Continuous voxel coordinates of a RAS point. */
export function rasToVoxel(affine: number[], ras: Vec3): Vec3 {
  return applyAffine(invertAffine(affine), ras);
}

/** Patient-orientation letter of a direction in LPS (dominant axis), e.g. [1,0,0] → "L". */
export function orientationLetter(lps: Vec3): string {
  const abs = lps.map(Math.abs);
  const axis = abs.indexOf(Math.max(...abs));
  const positive = lps[axis]! >= 0;
  return (['LR', 'PA', 'SI'][axis] ?? 'SI')[positive ? 0 : 1]!;
}

export interface ViewEdges {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

/**
 * Letters for the four edges of a view, from its camera (LPS): `viewUp` points to the top and
 * `viewPlaneNormal` towards the viewer, so the right edge is up × normal.
 */
export function viewEdges(viewUp: Vec3, viewPlaneNormal: Vec3): ViewEdges {
  const right = cross(viewUp, viewPlaneNormal);
  const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    right: orientationLetter(right),
    left: orientationLetter(neg(right)),
    top: orientationLetter(viewUp),
    bottom: orientationLetter(neg(viewUp)),
  };
}
