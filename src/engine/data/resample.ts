// Grid resampling (pure, any process): moves volumes between their own voxel grid and the
// training grid. The mapping is "voxel areas aligned" (PyTorch's align_corners=False): new voxel
// i' sits at old continuous index (i' + 0.5)·n_old/n_new − 0.5, so resampling there and back
// is consistent and the field of view is preserved.
import type { Mat4, Vec3 } from '../../core/volume/volume';

/** Grid size for a new spacing (at least 1 voxel per axis). */
export function resampledDims(dims: Vec3, spacingMm: Vec3, targetSpacingMm: Vec3): Vec3 {
  return dims.map((n, axis) =>
    Math.max(1, Math.round((n * spacingMm[axis]!) / targetSpacingMm[axis]!)),
  ) as Vec3;
}

/** Affine of the resampled grid (same field of view, new voxel size). */
export function resampledAffine(affine: Mat4, dims: Vec3, newDims: Vec3): Mat4 {
  const out = [...affine];
  for (let c = 0; c < 3; c++) {
    const scale = dims[c]! / newDims[c]!;
    const offset = 0.5 * scale - 0.5;
    for (let r = 0; r < 3; r++) {
      out[r * 4 + 3] = out[r * 4 + 3]! + affine[r * 4 + c]! * offset;
      out[r * 4 + c] = affine[r * 4 + c]! * scale;
    }
  }
  return out;
}

/** Linear interpolation along one axis of an i-fastest volume. */
function resampleAxis(
  input: Float32Array,
  dims: Vec3,
  axis: 0 | 1 | 2,
  newN: number,
): { data: Float32Array; dims: Vec3 } {
  const n = dims[axis];
  const outDims = [...dims] as Vec3;
  outDims[axis] = newN;
  if (newN === n) return { data: input, dims: outDims };
  const stride = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outStride = axis === 0 ? 1 : axis === 1 ? outDims[0] : outDims[0] * outDims[1];
  const lo = new Int32Array(newN);
  const frac = new Float32Array(newN);
  const scale = n / newN;
  for (let t = 0; t < newN; t++) {
    const x = Math.min(Math.max((t + 0.5) * scale - 0.5, 0), n - 1);
    const f = Math.floor(x);
    lo[t] = Math.min(f, n - 1);
    frac[t] = x - f;
  }
  const out = new Float32Array(outDims[0] * outDims[1] * outDims[2]);
  // Iterate over every line along `axis`: `outer` indexes the axes above it, `q` (contiguous)
  // the axes below it.
  const outerCount = axis === 2 ? 1 : axis === 1 ? dims[2] : dims[1] * dims[2];
  const innerCount = axis === 0 ? 1 : axis === 1 ? dims[0] : dims[0] * dims[1];
  const outerStrideIn = axis === 0 ? dims[0] : dims[0] * dims[1];
  const outerStrideOut = axis === 0 ? outDims[0] : outDims[0] * outDims[1];
  for (let o = 0; o < outerCount; o++) {
    for (let q = 0; q < innerCount; q++) {
      const baseIn = o * outerStrideIn + q;
      const baseOut = o * outerStrideOut + q;
      for (let t = 0; t < newN; t++) {
        const a = lo[t]!;
        const b = Math.min(a + 1, n - 1);
        const w = frac[t]!;
        out[baseOut + t * outStride] =
          input[baseIn + a * stride]! * (1 - w) + input[baseIn + b * stride]! * w;
      }
    }
  }
  return { data: out, dims: outDims };
}

/** Trilinear resampling (separable) to `newDims`. */
export function resampleLinear(data: Float32Array, dims: Vec3, newDims: Vec3): Float32Array {
  let current = { data, dims };
  for (const axis of [0, 1, 2] as const)
    current = resampleAxis(current.data, current.dims, axis, newDims[axis]);
  return current.data === data ? new Float32Array(data) : current.data;
}

/** Nearest-neighbour resampling for label maps. */
export function resampleNearest(labels: Uint8Array, dims: Vec3, newDims: Vec3): Uint8Array {
  const maps = [0, 1, 2].map((axis) => {
    const n = dims[axis]!;
    const m = newDims[axis]!;
    return Int32Array.from({ length: m }, (_, t) =>
      Math.min(n - 1, Math.floor((t + 0.5) * (n / m))),
    );
  }) as [Int32Array, Int32Array, Int32Array];
  const out = new Uint8Array(newDims[0] * newDims[1] * newDims[2]);
  let index = 0;
  for (let k = 0; k < newDims[2]; k++) {
    const sk = maps[2][k]! * dims[0] * dims[1];
    for (let j = 0; j < newDims[1]; j++) {
      const sj = sk + maps[1][j]! * dims[0];
      for (let i = 0; i < newDims[0]; i++) out[index++] = labels[sj + maps[0][i]!]!;
    }
  }
  return out;
}
