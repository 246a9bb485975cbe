// Patch extraction and augmentation (pure): random crops (zero-padded where the volume is
// smaller than the patch), in-plane rot90 and flips applied identically to image and label.
// Patches are i-fastest like volumes, i.e. [D=k][H=j][W=i] as tensors.
import type { Rng } from '../../core/random';
import type { Vec3 } from '../../core/volume/volume';

export interface Patch {
  image: Float32Array;
  label?: Uint8Array;
}

/** Copies the box starting at `start` (may be negative or overhang: padded with `pad`). */
export function cropBox<T extends Float32Array | Uint8Array>(
  src: T,
  dims: Vec3,
  start: Vec3,
  size: Vec3,
  out: T,
  pad = 0,
): T {
  out.fill(pad as never);
  const [nx, ny, nz] = dims;
  for (let k = 0; k < size[2]; k++) {
    const sk = start[2] + k;
    if (sk < 0 || sk >= nz) continue;
    for (let j = 0; j < size[1]; j++) {
      const sj = start[1] + j;
      if (sj < 0 || sj >= ny) continue;
      const i0 = Math.max(0, -start[0]);
      const i1 = Math.min(size[0], nx - start[0]);
      if (i1 <= i0) continue;
      const from = start[0] + i0 + nx * (sj + ny * sk);
      const to = i0 + size[0] * (j + size[1] * k);
      out.set(src.subarray(from, from + (i1 - i0)) as never, to);
    }
  }
  return out;
}

/** A uniformly random crop start; volumes smaller than the patch are centred and padded. */
export function randomStart(dims: Vec3, size: Vec3, rng: Rng): Vec3 {
  return dims.map((n, axis) => {
    const slack = n - size[axis]!;
    return slack >= 0 ? rng.int(slack + 1) : Math.floor(slack / 2);
  }) as Vec3;
}

/** A crop start that puts the given voxel inside the patch (foreground-biased sampling). */
export function startAround(dims: Vec3, size: Vec3, voxel: Vec3, rng: Rng): Vec3 {
  return dims.map((n, axis) => {
    const s = size[axis]!;
    if (n <= s) return Math.floor((n - s) / 2);
    const lo = Math.max(0, voxel[axis]! - s + 1);
    const hi = Math.min(n - s, voxel[axis]!);
    return lo + rng.int(hi - lo + 1);
  }) as Vec3;
}

/** In-plane augmentation: k·90° rotation in the (i, j) plane then optional flips of i and j. */
export interface InPlaneAugmentation {
  rot90: 0 | 1 | 2 | 3;
  flipI: boolean;
  flipJ: boolean;
}

export function randomAugmentation(rng: Rng): InPlaneAugmentation {
  return { rot90: rng.int(4) as 0 | 1 | 2 | 3, flipI: rng.next() < 0.5, flipJ: rng.next() < 0.5 };
}

/** Applies an in-plane augmentation to a patch with size[0] === size[1] (square slices). */
export function augment<T extends Float32Array | Uint8Array>(
  src: T,
  size: Vec3,
  aug: InPlaneAugmentation,
): T {
  const [n, m, depth] = size;
  if (aug.rot90 % 2 === 1 && n !== m) throw new Error(`rot90 needs square slices, got ${n}×${m}`);
  const out = new (src.constructor as new (length: number) => T)(src.length);
  for (let k = 0; k < depth; k++) {
    const base = k * n * m;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) {
        // Destination (i, j) reads the source voxel that the rotation/flip moves there.
        let si = aug.flipI ? n - 1 - i : i;
        let sj = aug.flipJ ? m - 1 - j : j;
        for (let r = 0; r < aug.rot90; r++) {
          const t = si;
          si = sj;
          sj = n - 1 - t;
        }
        out[base + i + n * j] = src[base + si + n * sj]!;
      }
    }
  }
  return out;
}
