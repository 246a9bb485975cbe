// Connected components of a binary mask (pure): labelling by breadth-first flood fill with
// 6- or 26-connectivity, and largest-component post-processing for predictions.
import type { Vec3 } from '../volume/volume';

export type Connectivity = 6 | 26;

export interface Components {
  /** Component number per voxel (1-based), 0 for background. */
  labels: Int32Array;
  /** Voxels per component; sizes[n - 1] belongs to component n. */
  sizes: number[];
}

function neighbourOffsets(connectivity: Connectivity): Vec3[] {
  const offsets: Vec3[] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const manhattan = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (manhattan === 0 || (connectivity === 6 && manhattan > 1)) continue;
        offsets.push([dx, dy, dz]);
      }
  return offsets;
}

export function labelComponents(
  mask: ArrayLike<number>,
  dims: Vec3,
  connectivity: Connectivity,
): Components {
  const [nx, ny, nz] = dims;
  const labels = new Int32Array(mask.length);
  const queue = new Int32Array(mask.length);
  const sizes: number[] = [];
  const offsets = neighbourOffsets(connectivity);
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || labels[seed]) continue;
    const id = sizes.length + 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    labels[seed] = id;
    while (head < tail) {
      const v = queue[head++]!;
      const i = v % nx;
      const j = Math.floor(v / nx) % ny;
      const k = Math.floor(v / (nx * ny));
      for (const [dx, dy, dz] of offsets) {
        const a = i + dx;
        const b = j + dy;
        const c = k + dz;
        if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
        const w = a + nx * (b + ny * c);
        if (mask[w] && !labels[w]) {
          labels[w] = id;
          queue[tail++] = w;
        }
      }
    }
    sizes.push(tail);
  }
  return { labels, sizes };
}

/** Keeps only the largest connected component of the voxels equal to `value`. */
export function keepLargestComponent(
  labelMap: Uint8Array,
  dims: Vec3,
  value = 1,
  connectivity: Connectivity = 26,
): Uint8Array {
  const mask = Uint8Array.from(labelMap, (v) => (v === value ? 1 : 0));
  const { labels, sizes } = labelComponents(mask, dims, connectivity);
  if (sizes.length <= 1) return labelMap.slice();
  const largest = sizes.indexOf(Math.max(...sizes)) + 1;
  return Uint8Array.from(labelMap, (v, index) =>
    v === value && labels[index] !== largest ? 0 : v,
  );
}
