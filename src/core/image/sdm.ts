// Ground-truth signed distance maps for the SDM head (pure TypeScript, any process), as the
// UA-MT/DTC `compute_sdf` builds them: positive outside the object, negative inside, each side
// normalised by its own maximum, inner-boundary voxels 0, range [−1, 1].

import { AppError } from '../errors';
import { distanceTransform, type Dims3, type Spacing3 } from './edt';

export interface SdmOptions {
  /**
   * Voxel spacing for the distance transforms. Default [1, 1, 1]: voxel units, as the baselines
   * call scipy without `sampling`. Both sides are max-normalised, so spacing changes only shape.
   */
  spacing?: Spacing3;
}

/**
 * Signed distance map of one binary mask (`mask != 0` is the object), i-fastest `[nx, ny, nz]`:
 * sdm = negdis / max(negdis) − posdis / max(posdis), where negdis is each background voxel's
 * distance to the nearest object voxel and posdis each object voxel's distance to the nearest
 * background voxel; then inner-boundary voxels (object voxels with a 6-neighbour in the
 * background) are set to 0.
 *
 * Edge cases, following DTC's `compute_sdf`:
 * - an empty mask gives all zeros (DTC computes only when the mask has foreground);
 * - the volume border is not a boundary: only in-volume neighbours count, as skimage's
 *   `find_boundaries(mode='inner')` (reflect-padded grey dilation/erosion) behaves;
 * - a full mask (no background) also gives all zeros. DTC divides 0 by 0 there and produces
 *   NaN; zeros keep the loss finite for a patch lying wholly inside the object.
 */
export function signedDistanceMap(
  mask: Uint8Array,
  dims: Dims3,
  options: SdmOptions = {},
): Float32Array {
  const total = checkedVoxelCount(mask.length, dims, 'mask');
  const out = new Float32Array(total);
  let foreground = 0;
  for (let v = 0; v < total; v++) if (mask[v] !== 0) foreground++;
  if (foreground === 0 || foreground === total) return out;

  const background = new Uint8Array(total);
  for (let v = 0; v < total; v++) background[v] = mask[v] === 0 ? 1 : 0;
  const posdis = distanceTransform(mask, dims, options.spacing);
  const negdis = distanceTransform(background, dims, options.spacing);
  const posMax = maxOf(posdis);
  const negMax = maxOf(negdis);
  for (let v = 0; v < total; v++) out[v] = negdis[v] / negMax - posdis[v] / posMax;
  zeroInnerBoundary(mask, dims, out);
  return out;
}

/**
 * SDMs of every foreground class of one label volume (values 0..numClasses−1), channels-last:
 * `out[v · (numClasses − 1) + (c − 1)]` is the SDM of class c at voxel v (i-fastest), i.e. the
 * `[D, H, W, numClasses − 1]` layout of one batch item.
 */
export function computeSdm(
  labels: Uint8Array,
  dims: Dims3,
  numClasses: number,
  options: SdmOptions = {},
): Float32Array {
  const total = checkedVoxelCount(labels.length, dims, 'label volume');
  const channels = foregroundChannels(numClasses);
  const out = new Float32Array(total * channels);
  const mask = new Uint8Array(total);
  for (let c = 1; c < numClasses; c++) {
    for (let v = 0; v < total; v++) mask[v] = labels[v] === c ? 1 : 0;
    const sdm = signedDistanceMap(mask, dims, options);
    for (let v = 0; v < total; v++) out[v * channels + c - 1] = sdm[v];
  }
  return out;
}

/**
 * SDMs of a batch of label volumes stored one after another (`batchSize` volumes of `dims`),
 * giving the `[N, D, H, W, numClasses − 1]` channels-last tensor data.
 */
export function computeSdmBatch(
  labels: Uint8Array,
  dims: Dims3,
  numClasses: number,
  batchSize: number,
  options: SdmOptions = {},
): Float32Array {
  const perVolume = dims[0] * dims[1] * dims[2];
  if (!Number.isInteger(batchSize) || batchSize < 0 || labels.length !== perVolume * batchSize) {
    throw new AppError(
      'BAD_INPUT',
      `SDM batch: ${labels.length} label voxels do not make ${batchSize} volumes of ${dims.join('×')}; pass batchSize × voxels-per-volume labels.`,
    );
  }
  const channels = foregroundChannels(numClasses);
  const out = new Float32Array(labels.length * channels);
  for (let b = 0; b < batchSize; b++) {
    const volume = labels.subarray(b * perVolume, (b + 1) * perVolume);
    out.set(computeSdm(volume, dims, numClasses, options), b * perVolume * channels);
  }
  return out;
}

function zeroInnerBoundary(mask: Uint8Array, dims: Dims3, out: Float32Array): void {
  const [nx, ny, nz] = dims;
  const sliceSize = nx * ny;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (mask[v] === 0) continue;
        const touchesBackground =
          (i > 0 && mask[v - 1] === 0) ||
          (i < nx - 1 && mask[v + 1] === 0) ||
          (j > 0 && mask[v - nx] === 0) ||
          (j < ny - 1 && mask[v + nx] === 0) ||
          (k > 0 && mask[v - sliceSize] === 0) ||
          (k < nz - 1 && mask[v + sliceSize] === 0);
        if (touchesBackground) out[v] = 0;
      }
    }
  }
}

function maxOf(values: Float64Array): number {
  let max = 0;
  for (let v = 0; v < values.length; v++) if (values[v] > max) max = values[v];
  return max;
}

function checkedVoxelCount(length: number, dims: Dims3, what: string): number {
  const total = dims[0] * dims[1] * dims[2];
  if (length !== total) {
    throw new AppError(
      'BAD_INPUT',
      `SDM: the ${what} has ${length} voxels but dims ${dims.join('×')} need ${total}; pass matching dims.`,
    );
  }
  return total;
}

function foregroundChannels(numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new AppError(
      'BAD_INPUT',
      `SDM: numClasses must be an integer ≥ 2 (background plus at least one class), got ${numClasses}.`,
    );
  }
  return numClasses - 1;
}
