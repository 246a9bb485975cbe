// Test-only mask fixtures for the metrics tests (Node, imported by tests only): blobby random masks
// and simple shapes, i-fastest. Kept here because test/helpers belongs to another area.
import type { Dims3 } from '../image/edt';
import { createRng } from '../random';

/** Box blur of radius 1 along each axis, `passes` times (edges clamp). */
function smooth(field: Float64Array, dims: Dims3, passes: number): Float64Array {
  const [nx, ny, nz] = dims;
  const strides = [1, nx, nx * ny];
  let cur = field;
  for (let p = 0; p < passes; p++) {
    for (let axis = 0; axis < 3; axis++) {
      const n = dims[axis]!;
      const stride = strides[axis]!;
      const next = new Float64Array(cur.length);
      let v = 0;
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j++)
          for (let i = 0; i < nx; i++, v++) {
            const q = [i, j, k][axis]!;
            const lo = q > 0 ? v - stride : v;
            const hi = q < n - 1 ? v + stride : v;
            next[v] = (cur[lo]! + cur[v]! + cur[hi]!) / 3;
          }
      cur = next;
    }
  }
  return cur;
}

/** Gaussian noise smoothed `passes` times. */
export function smoothField(dims: Dims3, seed: number, passes = 3): Float64Array {
  const rng = createRng(seed);
  const noise = Float64Array.from({ length: dims[0] * dims[1] * dims[2] }, () => rng.normal());
  return smooth(noise, dims, passes);
}

/** Voxels above the `1 − fraction` quantile of the field: blobs covering about `fraction`. */
export function thresholdTop(field: Float64Array, fraction: number): Uint8Array {
  const sorted = Float64Array.from(field).sort();
  const cut = sorted[Math.floor((1 - fraction) * (sorted.length - 1))]!;
  return Uint8Array.from(field, (x) => (x > cut ? 1 : 0));
}

/** A truth blob mask and a prediction that is the same field perturbed by independent noise. */
export function blobPair(
  dims: Dims3,
  seed: number,
  fraction = 0.3,
  noise = 0.5,
): { pred: Uint8Array; truth: Uint8Array } {
  const base = smoothField(dims, seed);
  const other = smoothField(dims, seed + 1000);
  const perturbed = base.map((x, v) => x + noise * other[v]!);
  return { truth: thresholdTop(base, fraction), pred: thresholdTop(perturbed, fraction * 0.9) };
}

export function boxMask(dims: Dims3, lo: Dims3, hi: Dims3): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  for (let k = lo[2]; k < hi[2]; k++)
    for (let j = lo[1]; j < hi[1]; j++)
      for (let i = lo[0]; i < hi[0]; i++) out[i + nx * (j + ny * k)] = 1;
  return out;
}

export function ballMask(dims: Dims3, centre: Dims3, radius: number): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const d2 = (i - centre[0]) ** 2 + (j - centre[1]) ** 2 + (k - centre[2]) ** 2;
        out[i + nx * (j + ny * k)] = d2 <= radius * radius ? 1 : 0;
      }
  return out;
}

/** The mask moved by whole voxels (voxels moved outside are dropped). */
export function shiftMask(mask: Uint8Array, dims: Dims3, by: Dims3): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(mask.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const [a, b, c] = [i + by[0], j + by[1], k + by[2]];
        if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
        out[a + nx * (b + ny * c)] = mask[i + nx * (j + ny * k)]!;
      }
  return out;
}
