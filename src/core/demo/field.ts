// Dense 3-D field operations for the synthetic demo generator (pure, plain Node/browser):
// separable Gaussian blur, smooth random fields and box dilation on i-fastest arrays.
import type { Rng } from '../random';
import type { Vec3 } from '../volume/volume';

/** Normalised 1-D Gaussian taps, radius ceil(3σ); σ ≤ 0 gives the identity kernel. */
export function gaussianKernel(sigma: number): Float32Array {
  if (!(sigma > 0)) return Float32Array.of(1);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) {
    const w = Math.exp((-0.5 * t * t) / (sigma * sigma));
    taps[t + radius] = w;
    sum += w;
  }
  for (let t = 0; t < taps.length; t++) taps[t]! /= sum;
  return taps;
}

const strideOf = (dims: Vec3, axis: number): number =>
  axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];

/** Calls `visit(start)` for the first element of every line running along `axis`. */
function forEachLine(dims: Vec3, axis: number, visit: (start: number) => void): void {
  const [nx, ny, nz] = dims;
  if (axis === 0)
    for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) visit(nx * (j + ny * k));
  else if (axis === 1)
    for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) visit(i + nx * ny * k);
  else for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) visit(i + nx * j);
}

/**
 * Gaussian blur with σ in voxels per axis, borders replicated (so a uniform image stays
 * uniform). Works in place on `data` and returns it.
 */
export function blurSeparable(data: Float32Array, dims: Vec3, sigmaVox: Vec3): Float32Array {
  for (let axis = 0; axis < 3; axis++) {
    const taps = gaussianKernel(sigmaVox[axis]!);
    if (taps.length === 1) continue;
    const radius = (taps.length - 1) / 2;
    const n = dims[axis]!;
    const stride = strideOf(dims, axis);
    const line = new Float32Array(n + 2 * radius);
    forEachLine(dims, axis, (start) => {
      for (let t = 0; t < line.length; t++) {
        const src = Math.min(n - 1, Math.max(0, t - radius));
        line[t] = data[start + src * stride]!;
      }
      for (let t = 0; t < n; t++) {
        let acc = 0;
        for (let q = 0; q < taps.length; q++) acc += taps[q]! * line[t + q]!;
        data[start + t * stride] = acc;
      }
    });
  }
  return data;
}

/** Cubic B-spline upsampling plan along one axis: 4 lattice taps per output sample. */
function splinePlan(n: number, cellVox: number): { first: Int32Array; weights: Float32Array } {
  const first = new Int32Array(n);
  const weights = new Float32Array(4 * n);
  for (let t = 0; t < n; t++) {
    // Lattice node 1 sits on voxel 0, so taps i0-1 .. i0+2 never fall below node 0.
    const u = t / cellVox + 1;
    const i0 = Math.floor(u);
    const f = u - i0;
    first[t] = i0 - 1;
    weights[4 * t] = (1 - f) ** 3 / 6;
    weights[4 * t + 1] = (3 * f ** 3 - 6 * f ** 2 + 4) / 6;
    weights[4 * t + 2] = (-3 * f ** 3 + 3 * f ** 2 + 3 * f + 1) / 6;
    weights[4 * t + 3] = f ** 3 / 6;
  }
  return { first, weights };
}

function upsampleAxis(src: Float32Array, srcDims: Vec3, axis: number, n: number, cellVox: number) {
  const outDims: Vec3 = [...srcDims];
  outDims[axis] = n;
  const out = new Float32Array(outDims[0] * outDims[1] * outDims[2]);
  const { first, weights } = splinePlan(n, cellVox);
  const srcStride = strideOf(srcDims, axis);
  const outStride = strideOf(outDims, axis);
  // Lines are enumerated on the output grid; the same (other-axis) coordinates index the source.
  const [ox, oy] = outDims;
  const [sx, sy] = srcDims;
  forEachLine(outDims, axis, (start) => {
    const i = start % ox;
    const j = Math.floor(start / ox) % oy;
    const k = Math.floor(start / (ox * oy));
    const srcStart = i + sx * (j + sy * k);
    for (let t = 0; t < n; t++) {
      const base = srcStart + first[t]! * srcStride;
      out[start + t * outStride] =
        weights[4 * t]! * src[base]! +
        weights[4 * t + 1]! * src[base + srcStride]! +
        weights[4 * t + 2]! * src[base + 2 * srcStride]! +
        weights[4 * t + 3]! * src[base + 3 * srcStride]!;
    }
  });
  return { out, outDims };
}

/**
 * A smooth random field (zero mean, unit standard deviation over the volume): Gaussian
 * white noise on a coarse lattice with `cellVox` spacing, interpolated with cubic B-splines.
 * Far cheaper than blurring full-resolution noise with a wide kernel.
 */
export function smoothRandomField(dims: Vec3, cellVox: Vec3, rng: Rng): Float32Array {
  let latticeDims = dims.map((n, a) => Math.floor((n - 1) / cellVox[a]!) + 4) as Vec3;
  let field = new Float32Array(latticeDims[0] * latticeDims[1] * latticeDims[2]);
  for (let v = 0; v < field.length; v++) field[v] = rng.normal();
  for (let axis = 0; axis < 3; axis++) {
    const step = upsampleAxis(field, latticeDims, axis, dims[axis]!, cellVox[axis]!);
    field = step.out;
    latticeDims = step.outDims;
  }
  let sum = 0;
  let sumSq = 0;
  for (let v = 0; v < field.length; v++) {
    sum += field[v]!;
    sumSq += field[v]! * field[v]!;
  }
  const mean = sum / field.length;
  const std = Math.sqrt(Math.max(sumSq / field.length - mean * mean, 1e-12));
  for (let v = 0; v < field.length; v++) field[v] = (field[v]! - mean) / std;
  return field;
}

/** Binary dilation by a box of half-width `radiusVox` per axis (separable running counts). */
export function dilateBox(mask: Uint8Array, dims: Vec3, radiusVox: Vec3): Uint8Array {
  let current = mask.slice();
  for (let axis = 0; axis < 3; axis++) {
    const r = radiusVox[axis]!;
    if (r <= 0) continue;
    const n = dims[axis]!;
    const stride = strideOf(dims, axis);
    const next = new Uint8Array(current.length);
    const prefix = new Int32Array(n + 1);
    forEachLine(dims, axis, (start) => {
      for (let t = 0; t < n; t++)
        prefix[t + 1] = prefix[t]! + (current[start + t * stride] ? 1 : 0);
      for (let t = 0; t < n; t++) {
        const lo = Math.max(0, t - r);
        const hi = Math.min(n, t + r + 1);
        next[start + t * stride] = prefix[hi]! - prefix[lo]! > 0 ? 1 : 0;
      }
    });
    current = next;
  }
  return current;
}

/** Binary erosion by the same box: the complement of dilating the complement. */
export function erodeBox(mask: Uint8Array, dims: Vec3, radiusVox: Vec3): Uint8Array {
  const inverse = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) inverse[v] = mask[v] ? 0 : 1;
  const grown = dilateBox(inverse, dims, radiusVox);
  for (let v = 0; v < grown.length; v++) grown[v] = grown[v] ? 0 : 1;
  return grown;
}
