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

function convolveRows(data: Float32Array, nx: number, taps: Float32Array): void {
  const radius = (taps.length - 1) / 2;
  const line = new Float32Array(nx + 2 * radius);
  for (let start = 0; start < data.length; start += nx) {
    for (let t = 0; t < line.length; t++)
      line[t] = data[start + Math.min(nx - 1, Math.max(0, t - radius))]!;
    for (let t = 0; t < nx; t++) {
      let acc = 0;
      for (let q = 0; q < taps.length; q++) acc += taps[q]! * line[t + q]!;
      data[start + t] = acc;
    }
  }
}

/**
 * Convolution along a non-contiguous axis: whole contiguous runs of `stride` values are
 * accumulated at once, which keeps memory access sequential.
 */
function convolveStrided(data: Float32Array, n: number, stride: number, taps: Float32Array): void {
  const radius = (taps.length - 1) / 2;
  const block = n * stride;
  const source = new Float32Array(block);
  for (let base = 0; base < data.length; base += block) {
    source.set(data.subarray(base, base + block));
    for (let t = 0; t < n; t++) {
      const out = base + t * stride;
      data.fill(0, out, out + stride);
      for (let q = 0; q < taps.length; q++) {
        const w = taps[q]!;
        const from = Math.min(n - 1, Math.max(0, t + q - radius)) * stride;
        for (let x = 0; x < stride; x++) data[out + x]! += w * source[from + x]!;
      }
    }
  }
}

/**
 * Gaussian blur with σ in voxels per axis, borders replicated (so a uniform image stays
 * uniform). Works in place on `data` and returns it.
 */
export function blurSeparable(data: Float32Array, dims: Vec3, sigmaVox: Vec3): Float32Array {
  const [nx, ny, nz] = dims;
  const tapsX = gaussianKernel(sigmaVox[0]);
  if (tapsX.length > 1) convolveRows(data, nx, tapsX);
  const tapsY = gaussianKernel(sigmaVox[1]);
  if (tapsY.length > 1) convolveStrided(data, ny, nx, tapsY);
  const tapsZ = gaussianKernel(sigmaVox[2]);
  if (tapsZ.length > 1) convolveStrided(data, nz, nx * ny, tapsZ);
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

/** Splits dims around `axis` into (outer, n, inner): element (o, t, x) is at (o·n + t)·inner + x. */
function blockShape(dims: Vec3, axis: number): { outer: number; n: number; inner: number } {
  const inner = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outer = axis === 0 ? dims[1] * dims[2] : axis === 1 ? dims[2] : 1;
  return { outer, n: dims[axis]!, inner };
}

function upsampleAxis(src: Float32Array, srcDims: Vec3, axis: number, n: number, cellVox: number) {
  const outDims: Vec3 = [...srcDims];
  outDims[axis] = n;
  const out = new Float32Array(outDims[0] * outDims[1] * outDims[2]);
  const { first, weights } = splinePlan(n, cellVox);
  const { outer, n: latticeLen, inner } = blockShape(srcDims, axis);
  // Whole runs of `inner` contiguous values are combined at once (sequential memory access).
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < n; t++) {
      const dst = (o * n + t) * inner;
      const a = (o * latticeLen + first[t]!) * inner;
      const w0 = weights[4 * t]!;
      const w1 = weights[4 * t + 1]!;
      const w2 = weights[4 * t + 2]!;
      const w3 = weights[4 * t + 3]!;
      for (let x = 0; x < inner; x++) {
        out[dst + x] =
          w0 * src[a + x]! +
          w1 * src[a + inner + x]! +
          w2 * src[a + 2 * inner + x]! +
          w3 * src[a + 3 * inner + x]!;
      }
    }
  }
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

/** Inclusive index bounds of the non-zero voxels, or undefined when there are none. */
export function maskBounds(mask: Uint8Array, dims: Vec3): { lo: Vec3; hi: Vec3 } | undefined {
  const [nx, ny, nz] = dims;
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (!mask[v]) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  return hi[0] < 0 ? undefined : { lo, hi };
}

/** Box dilation of a whole (small) volume along one axis: OR of the 2r+1 neighbours. */
function dilateAxis(mask: Uint8Array, dims: Vec3, axis: number, r: number): Uint8Array {
  const next = new Uint8Array(mask.length);
  const { outer, n, inner } = blockShape(dims, axis);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < n; t++) {
      const dst = (o * n + t) * inner;
      for (let q = Math.max(0, t - r); q <= Math.min(n - 1, t + r); q++) {
        const src = (o * n + q) * inner;
        for (let x = 0; x < inner; x++) next[dst + x]! |= mask[src + x]!;
      }
    }
  }
  return next;
}

/**
 * Binary (0/1) dilation by a box of half-width `radiusVox` per axis, computed on the mask's
 * bounding box grown by the radius (the rest of the volume cannot change).
 */
export function dilateBox(mask: Uint8Array, dims: Vec3, radiusVox: Vec3): Uint8Array {
  const out = new Uint8Array(mask.length);
  const bounds = maskBounds(mask, dims);
  if (!bounds) return out;
  const lo = bounds.lo.map((x, a) => Math.max(0, x - radiusVox[a]!)) as Vec3;
  const hi = bounds.hi.map((x, a) => Math.min(dims[a]! - 1, x + radiusVox[a]!)) as Vec3;
  const crop = hi.map((h, a) => h - lo[a]! + 1) as Vec3;
  const [nx, ny] = dims;
  const [cx, cy, cz] = crop;
  let work: Uint8Array = new Uint8Array(cx * cy * cz);
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const from = lo[0] + nx * (lo[1] + j + ny * (lo[2] + k));
      for (let i = 0; i < cx; i++) work[i + cx * (j + cy * k)] = mask[from + i] ? 1 : 0;
    }
  }
  for (let axis = 0; axis < 3; axis++) {
    if (radiusVox[axis]! > 0) work = dilateAxis(work, crop, axis, radiusVox[axis]!);
  }
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const to = lo[0] + nx * (lo[1] + j + ny * (lo[2] + k));
      out.set(work.subarray(cx * (j + cy * k), cx * (j + cy * k) + cx), to);
    }
  }
  return out;
}

/** Binary erosion by the same box: the complement of dilating the complement. */
export function erodeBox(mask: Uint8Array, dims: Vec3, radiusVox: Vec3): Uint8Array {
  const inverse = new Uint8Array(mask.length);
  for (let v = 0; v < mask.length; v++) inverse[v] = mask[v] ? 0 : 1;
  const grown = dilateBox(inverse, dims, radiusVox);
  for (let v = 0; v < grown.length; v++) grown[v] = grown[v] ? 0 : 1;
  return grown;
}
