// Slice interpolation (renderer, pure): fills the slices between annotated slices of one label
// by shape-based interpolation — the signed distance maps of the two nearest annotated slices
// are blended linearly and thresholded at zero (Raya & Udupa 1990; what Slicer's "Fill between
// slices" approximates). Only background voxels are filled; other labels are never touched.

type Vec3 = [number, number, number];

/** 1-D squared distance transform of f (Felzenszwalb & Huttenlocher 2012), in place into d. */
function distance1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array) {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (f[v[k]!] === Infinity) {
      v[k] = q;
      continue;
    }
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = f[v[k]!] === Infinity ? Infinity : dq * dq + f[v[k]!]!;
  }
}

/** Exact squared Euclidean distance (in pixels) of every pixel to the nearest `target` pixel. */
export function squaredDistance2d(
  target: Uint8Array,
  width: number,
  height: number,
  spacing: [number, number] = [1, 1],
): Float64Array {
  const out = new Float64Array(width * height);
  for (let n = 0; n < out.length; n++) out[n] = target[n] ? 0 : Infinity;
  const size = Math.max(width, height);
  const f = new Float64Array(size);
  const d = new Float64Array(size);
  const v = new Int32Array(size);
  const z = new Float64Array(size + 1);
  // Columns first in units of the row spacing, then rows; anisotropy handled by scaling.
  const [su, sv] = spacing;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = out[x + width * y]!;
    distance1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) out[x + width * y] = d[y]! * sv * sv;
  }
  const scale = su * su;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = out[x + width * y]!;
      f[x] = value === Infinity ? Infinity : value / scale;
    }
    distance1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) out[x + width * y] = d[x]! * scale;
  }
  return out;
}

/** Signed distance: negative inside the mask, positive outside, in millimetres. */
function signedDistance(mask: Uint8Array, w: number, h: number, spacing: [number, number]) {
  const inverse = mask.map((m) => (m ? 0 : 1));
  const toInside = squaredDistance2d(mask, w, h, spacing);
  const toOutside = squaredDistance2d(inverse, w, h, spacing);
  const out = new Float64Array(mask.length);
  for (let n = 0; n < out.length; n++) {
    out[n] = mask[n] ? -Math.sqrt(toOutside[n]!) : Math.sqrt(toInside[n]!);
  }
  return out;
}

export interface InterpolationResult {
  data: Uint8Array;
  /** Slices (along `axis`) that received voxels. */
  filledSlices: number[];
  annotatedSlices: number[];
}

/**
 * Fills gaps between annotated slices of `label` along voxel axis `axis` (0 = i, 1 = j, 2 = k).
 * `spacingMm` keeps distances isotropic in millimetres on anisotropic grids.
 */
export function interpolateLabel(
  data: Uint8Array,
  dims: Vec3,
  spacingMm: Vec3,
  axis: 0 | 1 | 2,
  label: number,
): InterpolationResult {
  const strides: Vec3 = [1, dims[0], dims[0] * dims[1]];
  const [u, w] = ([0, 1, 2] as const).filter((a) => a !== axis) as [0 | 1 | 2, 0 | 1 | 2];
  const width = dims[u];
  const height = dims[w];
  const planeSpacing: [number, number] = [spacingMm[u], spacingMm[w]];
  const sliceMask = (s: number) => {
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        mask[x + width * y] =
          data[s * strides[axis] + x * strides[u] + y * strides[w]] === label ? 1 : 0;
    return mask;
  };
  const annotatedSlices: number[] = [];
  for (let s = 0; s < dims[axis]; s++) if (sliceMask(s).some((m) => m)) annotatedSlices.push(s);
  const out = data.slice();
  const filledSlices: number[] = [];
  for (let n = 1; n < annotatedSlices.length; n++) {
    const s0 = annotatedSlices[n - 1]!;
    const s1 = annotatedSlices[n]!;
    if (s1 - s0 < 2) continue;
    const d0 = signedDistance(sliceMask(s0), width, height, planeSpacing);
    const d1 = signedDistance(sliceMask(s1), width, height, planeSpacing);
    for (let s = s0 + 1; s < s1; s++) {
      const t = (s - s0) / (s1 - s0);
      let filled = false;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = x + width * y;
          if ((1 - t) * d0[p]! + t * d1[p]! > 0) continue;
          const index = s * strides[axis] + x * strides[u] + y * strides[w];
          if (out[index] !== 0) continue;
          out[index] = label;
          filled = true;
        }
      }
      if (filled) filledSlices.push(s);
    }
  }
  return { data: out, filledSlices, annotatedSlices };
}
