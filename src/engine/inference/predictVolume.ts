// Whole-volume prediction (engine, any Node process): normalise like training, resample to the
// training grid, sliding-window softmax, resample the probabilities back to the image's own
// grid, then labels (argmax), the foreground probability and a voxel uncertainty map.
import { keepLargestComponent } from '../../core/image/components';
import type { Vec3, Volume } from '../../core/volume/volume';
import { preprocess, type InferenceSettings } from '../data/preprocess';
import { resampleLinear } from '../data/resample';
import type { VNetParams } from '../model';
import { argmaxLabels, predictProbabilities, type ProbabilityVolume } from './slidingWindow';

export interface PredictOptions {
  /** Window step as a fraction of the patch (0.5 = half overlap) or explicit voxels [i, j, k]. */
  stride: number | Vec3;
  blending: 'uniform' | 'gaussian';
  batchSize: number;
  /** Keep only the largest connected component of each foreground class [D] off. */
  largestComponent: boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_PREDICT_OPTIONS: PredictOptions = {
  stride: 0.5,
  blending: 'gaussian',
  batchSize: 2,
  largestComponent: false,
};

/** The paper's LA stride (18×18×4 at 112×112×80) as a preset [B]. */
export const PAPER_STRIDE: Vec3 = [18, 18, 4];

export interface VolumePrediction {
  /** Label map on the image's grid (uint8, 0 = background). */
  labels: Uint8Array;
  /** Probability of the foreground (1 − p(background)) on the image's grid. */
  foreground: Float32Array;
  /** Normalised entropy of the class probabilities in [0, 1] on the image's grid. */
  uncertainty: Float32Array;
}

export async function predictVolume(
  params: VNetParams,
  settings: InferenceSettings,
  image: Volume,
  options: Partial<PredictOptions> = {},
): Promise<VolumePrediction> {
  const opts = { ...DEFAULT_PREDICT_OPTIONS, ...options };
  const grid = preprocess(image, undefined, settings);
  const { sameGrid } = grid;
  const stride =
    typeof opts.stride === 'number'
      ? (settings.patchSize.map((n) =>
          Math.max(1, Math.round(n * (opts.stride as number))),
        ) as Vec3)
      : opts.stride;
  const probs = await predictProbabilities(params, grid.image, grid.dims, {
    patchSize: settings.patchSize,
    stride,
    blending: opts.blending,
    batchSize: opts.batchSize,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  const back = sameGrid ? probs : resampleProbabilities(probs, image.dims);
  let labels = argmaxLabels(back);
  if (opts.largestComponent) {
    for (let c = 1; c < back.numClasses; c++) labels = keepLargestComponent(labels, image.dims, c);
  }
  return { labels, ...probabilityMaps(back) };
}

function resampleProbabilities(probs: ProbabilityVolume, dims: Vec3): ProbabilityVolume {
  const voxels = dims[0] * dims[1] * dims[2];
  const source = probs.dims[0] * probs.dims[1] * probs.dims[2];
  const out = new Float32Array(probs.numClasses * voxels);
  for (let c = 0; c < probs.numClasses; c++) {
    out.set(
      resampleLinear(probs.probs.subarray(c * source, (c + 1) * source), probs.dims, dims),
      c * voxels,
    );
  }
  return { dims, numClasses: probs.numClasses, probs: out };
}

function probabilityMaps(probs: ProbabilityVolume): {
  foreground: Float32Array;
  uncertainty: Float32Array;
} {
  const voxels = probs.dims[0] * probs.dims[1] * probs.dims[2];
  const K = probs.numClasses;
  const foreground = new Float32Array(voxels);
  const uncertainty = new Float32Array(voxels);
  const norm = Math.log(K);
  for (let v = 0; v < voxels; v++) {
    let entropy = 0;
    for (let c = 0; c < K; c++) {
      const p = probs.probs[c * voxels + v]!;
      if (p > 1e-12) entropy -= p * Math.log(p);
    }
    foreground[v] = 1 - probs.probs[v]!;
    uncertainty[v] = entropy / norm;
  }
  return { foreground, uncertainty };
}
