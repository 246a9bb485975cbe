// Exact Euclidean distance transform (pure TypeScript, any process): Felzenszwalb–Huttenlocher
// lower envelope of parabolas, run separably along i, j and k, so the cost is linear in voxels.
// Used for ground-truth signed distance maps (training) and surface distances (metrics).

import { AppError } from '../errors';

export type Dims3 = [nx: number, ny: number, nz: number];
export type Spacing3 = [sx: number, sy: number, sz: number];

/**
 * For every voxel with `mask != 0`, the Euclidean distance (in the units of `spacing`, voxels by
 * default) from its centre to the centre of the nearest voxel with `mask == 0`; voxels with
 * `mask == 0` get 0. `mask` is i-fastest with `dims = [nx, ny, nz]`.
 *
 * Same values as `scipy.ndimage.distance_transform_edt(m, sampling=spacing)` where `m` is the
 * mask as an `[i, j, k]`-indexed array (nibabel's order). That includes scipy's answer when
 * the mask has no background voxel at all: scipy then measures every distance to a virtual
 * background voxel at index (i = -1, j = 0, k = 0). That value is an artefact, not geometry;
 * it is kept only so both tools agree — callers that care should test for "no background"
 * themselves (see `hasZero`).
 */
export function distanceTransform(mask: Uint8Array, dims: Dims3, spacing?: Spacing3): Float64Array {
  const [nx, ny, nz] = checkDims(dims);
  const [sx, sy, sz] = checkSpacing(spacing ?? [1, 1, 1]);
  const total = nx * ny * nz;
  if (mask.length !== total) {
    throw new AppError(
      'BAD_INPUT',
      `Distance transform: mask has ${mask.length} voxels but dims ${nx}×${ny}×${nz} need ${total}; pass a mask that matches its dims.`,
    );
  }
  const sq = new Float64Array(total);
  for (let v = 0; v < total; v++) sq[v] = mask[v] === 0 ? 0 : Infinity;
  if (total === 0) return sq;
  if (!hasZero(mask)) return virtualBackgroundDistances(dims, [sx, sy, sz]);

  const longest = Math.max(nx, ny, nz);
  const work = createLineWork(longest);
  transformAxis(sq, nx, 1, ny * nz, (line) => line * nx, sx * sx, work);
  transformAxis(
    sq,
    ny,
    nx,
    nx * nz,
    (line) => (line % nx) + Math.floor(line / nx) * nx * ny,
    sy * sy,
    work,
  );
  transformAxis(sq, nz, nx * ny, nx * ny, (line) => line, sz * sz, work);
  for (let v = 0; v < total; v++) sq[v] = Math.sqrt(sq[v]);
  return sq;
}

/** True when at least one voxel is 0 (i.e. a distance transform has something to measure to). */
export function hasZero(mask: Uint8Array): boolean {
  for (let v = 0; v < mask.length; v++) if (mask[v] === 0) return true;
  return false;
}

interface LineWork {
  f: Float64Array;
  d: Float64Array;
  v: Int32Array;
  z: Float64Array;
}

function createLineWork(n: number): LineWork {
  return {
    f: new Float64Array(n),
    d: new Float64Array(n),
    v: new Int32Array(n),
    z: new Float64Array(n + 1),
  };
}

/**
 * Runs the 1-D transform on every line along one axis, in place on squared distances.
 * `start(line)` gives the flat index of the line's first voxel; consecutive voxels are `stride` apart.
 */
function transformAxis(
  sq: Float64Array,
  length: number,
  stride: number,
  lines: number,
  start: (line: number) => number,
  spacingSquared: number,
  work: LineWork,
): void {
  const { f, d } = work;
  for (let line = 0; line < lines; line++) {
    const base = start(line);
    for (let q = 0, at = base; q < length; q++, at += stride) f[q] = sq[at];
    lowerEnvelope(length, spacingSquared, work);
    for (let q = 0, at = base; q < length; q++, at += stride) sq[at] = d[q];
  }
}

/**
 * d[q] = min_p (w²(q − p)² + f[p]) for q < n, skipping infinite f[p] (voxels with nothing found
 * yet). A line that is infinite everywhere stays infinite.
 */
function lowerEnvelope(n: number, w2: number, work: LineWork): void {
  const { f, d, v, z } = work;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q];
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    const hq = fq + w2 * q * q;
    let s = intersection(hq, q, v[k], f, w2);
    // z[0] = -∞ stops the loop at k = 0, so k never drops below 0 here.
    while (s <= z[k]) {
      k--;
      s = intersection(hq, q, v[k], f, w2);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = w2 * dq * dq + f[v[k]];
  }
}

/** Abscissa where the parabola rooted at q (height hq = f[q] + w²q²) overtakes the one at p. */
function intersection(hq: number, q: number, p: number, f: Float64Array, w2: number): number {
  return (hq - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
}

function virtualBackgroundDistances(dims: Dims3, spacing: Spacing3): Float64Array {
  const [nx, ny, nz] = dims;
  const [sx, sy, sz] = spacing;
  const out = new Float64Array(nx * ny * nz);
  let at = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const di = (i + 1) * sx;
        const dj = j * sy;
        const dk = k * sz;
        out[at++] = Math.sqrt(di * di + dj * dj + dk * dk);
      }
    }
  }
  return out;
}

function checkDims(dims: Dims3): Dims3 {
  if (dims.length !== 3 || dims.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Distance transform: dims must be three non-negative integers, got [${dims.join(', ')}].`,
    );
  }
  return dims;
}

function checkSpacing(spacing: Spacing3): Spacing3 {
  if (spacing.length !== 3 || spacing.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Distance transform: spacing must be three positive finite numbers, got [${spacing.join(', ')}].`,
    );
  }
  return spacing;
}
