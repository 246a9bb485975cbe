// Surface-distance metrics (pure TypeScript, any process): 95 % Hausdorff distance, ASD and
// ASSD between two binary masks, with the same definitions as medpy.metric.binary (the package
// the LA papers — UA-MT, DTC, SimCVD, MC-Net — score with).
//
// Definitions (medpy, connectivity 1):
// - Surface of a mask = mask XOR binary_erosion(mask, 6-connected cross). scipy's erosion uses
//   border_value = 0, i.e. voxels outside the volume count as background, so a mask touching the
//   volume edge has surface voxels on that edge. `surfaceOf` does the same.
// - d(A→B) = for every surface voxel of A, the distance from its centre to the nearest surface
//   voxel centre of B (exact EDT of the complement of B's surface, in the units of `spacing`).
// - hd95 = numpy.percentile(concat(d(P→T), d(T→P)), 95), 'linear' interpolation (medpy hd95).
// - asd  = mean d(P→T): one-directional, prediction → truth (medpy asd; the papers' "ASD").
// - assd = (mean d(P→T) + mean d(T→P)) / 2: the mean of the two directional means (medpy
//   assd), not the mean of the pooled distances.

import { distanceTransform, type Dims3, type Spacing3 } from '../image/edt';
import { AppError } from '../errors';

export interface SurfaceMetrics {
  hd95: number;
  /** Mean distance prediction → truth (one-directional, medpy `asd`). */
  asd: number;
  /** Mean of the two directional mean distances (medpy `assd`). */
  assd: number;
}

/**
 * hd95, asd and assd between two binary masks (`!= 0` is foreground), in the units of
 * `spacing` (voxels by default). `null` when either mask is empty: a surface distance to
 * nothing is undefined (medpy raises there); callers decide how to report it.
 */
export function surfaceMetrics(
  pred: Uint8Array,
  truth: Uint8Array,
  dims: Dims3,
  spacing: Spacing3 = [1, 1, 1],
): SurfaceMetrics | null {
  checkSize(pred, dims, 'prediction');
  checkSize(truth, dims, 'truth');
  const box = unionBounds(pred, truth, dims);
  if (!box || !any(pred) || !any(truth)) return null;
  // Everything outside the union bounding box is background in both masks — exactly what the
  // volume border is for the erosion — and holds no surface voxel, so working on the crop gives
  // the same surfaces and the same nearest-surface distances at a fraction of the cost.
  const cropDims = box.size;
  const predSurface = surfaceOf(crop(pred, dims, box), cropDims);
  const truthSurface = surfaceOf(crop(truth, dims, box), cropDims);
  const predToTruth = directedDistances(predSurface, truthSurface, cropDims, spacing);
  const truthToPred = directedDistances(truthSurface, predSurface, cropDims, spacing);
  const pooled = new Float64Array(predToTruth.length + truthToPred.length);
  pooled.set(predToTruth);
  pooled.set(truthToPred, predToTruth.length);
  pooled.sort();
  const asd = mean(predToTruth);
  return {
    hd95: percentileSorted(pooled, 95),
    asd,
    assd: (asd + mean(truthToPred)) / 2,
  };
}

/**
 * Surface voxels of a binary mask (`!= 0`): foreground voxels with at least one of their six
 * face neighbours in the background or outside the volume (scipy binary_erosion with the
 * 3-D cross and border_value 0, XOR the mask).
 */
export function surfaceOf(mask: Uint8Array, dims: Dims3): Uint8Array {
  checkSize(mask, dims, 'mask');
  const [nx, ny, nz] = dims;
  const sliceSize = nx * ny;
  const out = new Uint8Array(mask.length);
  let v = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (mask[v] === 0) continue;
        const interior =
          i > 0 &&
          i < nx - 1 &&
          j > 0 &&
          j < ny - 1 &&
          k > 0 &&
          k < nz - 1 &&
          mask[v - 1] !== 0 &&
          mask[v + 1] !== 0 &&
          mask[v - nx] !== 0 &&
          mask[v + nx] !== 0 &&
          mask[v - sliceSize] !== 0 &&
          mask[v + sliceSize] !== 0;
        if (!interior) out[v] = 1;
      }
    }
  }
  return out;
}

/**
 * Distances from every surface voxel of `from` (in index order) to the nearest surface voxel of
 * `to`. `to` must have at least one surface voxel.
 */
export function directedDistances(
  fromSurface: Uint8Array,
  toSurface: Uint8Array,
  dims: Dims3,
  spacing: Spacing3,
): Float64Array {
  const notTo = new Uint8Array(toSurface.length);
  for (let v = 0; v < notTo.length; v++) notTo[v] = toSurface[v] === 0 ? 1 : 0;
  const dt = distanceTransform(notTo, dims, spacing);
  const out = new Float64Array(count(fromSurface));
  let at = 0;
  for (let v = 0; v < fromSurface.length; v++) if (fromSurface[v] !== 0) out[at++] = dt[v];
  return out;
}

/**
 * numpy.percentile(values, q) with the default 'linear' method, on values sorted ascending:
 * virtual index (n − 1)·q/100, then numpy's `_lerp`, which interpolates from the upper
 * neighbour when the weight is ≥ 0.5 (so the result is bit-identical to numpy's).
 */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new AppError('BAD_INPUT', 'Percentile of an empty list of distances.');
  const index = (n - 1) * (q / 100);
  const below = Math.floor(index);
  const above = Math.min(below + 1, n - 1);
  const t = index - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

interface Box {
  lo: Dims3;
  size: Dims3;
}

/** Bounding box of the voxels that are foreground in either mask; undefined if both are empty. */
function unionBounds(a: Uint8Array, b: Uint8Array, dims: Dims3): Box | undefined {
  const [nx, ny, nz] = dims;
  const lo: Dims3 = [nx, ny, nz];
  const hi: Dims3 = [-1, -1, -1];
  let v = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        if (a[v] === 0 && b[v] === 0) continue;
        if (i < lo[0]) lo[0] = i;
        if (i > hi[0]) hi[0] = i;
        if (j < lo[1]) lo[1] = j;
        if (j > hi[1]) hi[1] = j;
        if (k < lo[2]) lo[2] = k;
        if (k > hi[2]) hi[2] = k;
      }
    }
  }
  if (hi[0] < 0) return undefined;
  return { lo, size: [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1] };
}

function crop(mask: Uint8Array, dims: Dims3, box: Box): Uint8Array {
  const [nx, ny] = dims;
  const [cx, cy, cz] = box.size;
  const out = new Uint8Array(cx * cy * cz);
  let at = 0;
  for (let k = 0; k < cz; k++) {
    for (let j = 0; j < cy; j++) {
      const start = box.lo[0] + nx * (box.lo[1] + j + ny * (box.lo[2] + k));
      out.set(mask.subarray(start, start + cx), at);
      at += cx;
    }
  }
  return out;
}

function checkSize(mask: Uint8Array, dims: Dims3, what: string): void {
  const total = dims[0] * dims[1] * dims[2];
  if (mask.length !== total) {
    throw new AppError(
      'BAD_INPUT',
      `Surface distance: the ${what} has ${mask.length} voxels but dims ${dims.join('×')} need ${total}; pass masks that match their dims.`,
    );
  }
}

function any(mask: Uint8Array): boolean {
  for (let v = 0; v < mask.length; v++) if (mask[v] !== 0) return true;
  return false;
}

function count(mask: Uint8Array): number {
  let n = 0;
  for (let v = 0; v < mask.length; v++) if (mask[v] !== 0) n++;
  return n;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let v = 0; v < values.length; v++) sum += values[v]!;
  return sum / values.length;
}
