// Sliding-window inference (engine, TF.js): runs the network over a whole volume in
// overlapping patches and averages the softmax probabilities of overlapping windows (uniform
// as the baselines [B], or Gaussian-weighted towards patch centres [D] option).
import * as tf from '@tensorflow/tfjs';
import { assertNoGpuErrors } from '../backends/webgpu';
import { AppError } from '../../core/errors';
import type { Vec3 } from '../../core/volume/volume';
import { forward } from '../model/vnet';
import type { VNetParams } from '../model/params';

export interface SlidingWindowOptions {
  /** Patch size [i, j, k] as trained. */
  patchSize: Vec3;
  /** Step between windows [i, j, k]; the baselines use 18×18×4 at 112×112×80 [B]. */
  stride: Vec3;
  /** 'uniform' averages windows equally [B]; 'gaussian' weights voxels near a patch centre more. */
  blending: 'uniform' | 'gaussian';
  /** Windows per forward pass. */
  batchSize: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ProbabilityVolume {
  dims: Vec3;
  numClasses: number;
  /** Class-major: probs[c * voxels + v], v i-fastest. */
  probs: Float32Array;
}

/** Window starts along one axis: regular steps, the last window flush with the end. */
export function windowStarts(n: number, size: number, stride: number): number[] {
  if (n <= size) return [0];
  const starts: number[] = [];
  for (let s = 0; s + size < n; s += stride) starts.push(s);
  starts.push(n - size);
  return [...new Set(starts)];
}

function gaussianWeights(size: Vec3): Float32Array {
  const [x, y, z] = size;
  const out = new Float32Array(x * y * z);
  const axis = (n: number) =>
    Float32Array.from({ length: n }, (_, t) => Math.exp(-0.5 * ((t - (n - 1) / 2) / (n / 8)) ** 2));
  const [wx, wy, wz] = [axis(x), axis(y), axis(z)];
  let index = 0;
  for (let k = 0; k < z; k++)
    for (let j = 0; j < y; j++)
      for (let i = 0; i < x; i++) out[index++] = Math.max(wx[i]! * wy[j]! * wz[k]!, 1e-3);
  return out;
}

/**
 * Softmax probabilities for every voxel of `image` (already on the training grid and
 * normalised), using the network in inference mode (moving BN statistics, no dropout).
 */
export async function predictProbabilities(
  params: VNetParams,
  image: Float32Array,
  dims: Vec3,
  options: SlidingWindowOptions,
): Promise<ProbabilityVolume> {
  const { patchSize, stride } = options;
  const K = params.config.numClasses;
  // Pad volumes smaller than the patch (zero = the normalised mean).
  const padded = dims.map((n, a) => Math.max(n, patchSize[a]!)) as Vec3;
  const [px, py, pz] = padded;
  const voxels = px * py * pz;
  const sum = new Float32Array(K * voxels);
  const weightSum = new Float32Array(voxels);
  const weights = options.blending === 'gaussian' ? gaussianWeights(patchSize) : undefined;
  const starts: Vec3[] = [];
  for (const k of windowStarts(pz, patchSize[2], stride[2]))
    for (const j of windowStarts(py, patchSize[1], stride[1]))
      for (const i of windowStarts(px, patchSize[0], stride[0])) starts.push([i, j, k]);
  const [sx, sy, sz] = patchSize;
  const patchVoxels = sx * sy * sz;
  for (let first = 0; first < starts.length; first += options.batchSize) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Prediction cancelled.');
    const group = starts.slice(first, first + options.batchSize);
    const input = new Float32Array(group.length * patchVoxels);
    group.forEach((start, b) => copyPatch(image, dims, start, patchSize, input, b * patchVoxels));
    const probs = tf.tidy(() => {
      const out = forward(params, tf.tensor5d(input, [group.length, sz, sy, sx, 1]), {
        training: false,
        dropout: false,
        bnMode: 'moving',
      });
      const p = tf.softmax(out.logits);
      tf.dispose([out.bottleneck, out.features, ...(out.sdm ? [out.sdm] : [])]);
      return p;
    });
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    assertNoGpuErrors('prediction');
    group.forEach((start, b) =>
      accumulate(data, b * patchVoxels * K, start, patchSize, padded, K, sum, weightSum, weights),
    );
    options.onProgress?.(Math.min(first + group.length, starts.length), starts.length);
    // Let the event loop breathe (progress messages, cancel) between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const [nx, ny, nz] = dims;
  const outVoxels = nx * ny * nz;
  const result = new Float32Array(K * outVoxels);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + px * (j + py * k);
        const o = i + nx * (j + ny * k);
        const w = weightSum[v]! || 1;
        for (let c = 0; c < K; c++) result[c * outVoxels + o] = sum[c * voxels + v]! / w;
      }
  return { dims, numClasses: K, probs: result };
}

function copyPatch(
  image: Float32Array,
  dims: Vec3,
  start: Vec3,
  size: Vec3,
  out: Float32Array,
  offset: number,
): void {
  const [nx, ny, nz] = dims;
  for (let k = 0; k < size[2]; k++) {
    const sk = start[2] + k;
    if (sk >= nz) continue;
    for (let j = 0; j < size[1]; j++) {
      const sj = start[1] + j;
      if (sj >= ny) continue;
      const len = Math.min(size[0], nx - start[0]);
      const from = start[0] + nx * (sj + ny * sk);
      out.set(image.subarray(from, from + len), offset + size[0] * (j + size[1] * k));
    }
  }
}

function accumulate(
  probs: Float32Array,
  offset: number,
  start: Vec3,
  size: Vec3,
  padded: Vec3,
  K: number,
  sum: Float32Array,
  weightSum: Float32Array,
  weights: Float32Array | undefined,
): void {
  const [px, py] = padded;
  const voxels = padded[0] * padded[1] * padded[2];
  let p = 0;
  for (let k = 0; k < size[2]; k++)
    for (let j = 0; j < size[1]; j++)
      for (let i = 0; i < size[0]; i++, p++) {
        const v = start[0] + i + px * (start[1] + j + py * (start[2] + k));
        const w = weights ? weights[p]! : 1;
        weightSum[v] = weightSum[v]! + w;
        // Tensor layout is channels-last: probs[p * K + c].
        for (let c = 0; c < K; c++)
          sum[c * voxels + v] = sum[c * voxels + v]! + w * probs[offset + p * K + c]!;
      }
}

/** Class with the highest probability per voxel. */
export function argmaxLabels(volume: ProbabilityVolume): Uint8Array {
  const voxels = volume.dims[0] * volume.dims[1] * volume.dims[2];
  const out = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    let best = 0;
    let bestP = volume.probs[v]!;
    for (let c = 1; c < volume.numClasses; c++) {
      const p = volume.probs[c * voxels + v]!;
      if (p > bestP) {
        best = c;
        bestP = p;
      }
    }
    out[v] = best;
  }
  return out;
}
