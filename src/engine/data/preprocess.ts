// The one preprocessing of the engine (pure): a study image normalised (z-score or CT window)
// and resampled onto the training grid, exactly the same way for training (dataset.ts) and for
// inference (inference/predictVolume.ts) — nnU-Net's rule, so the two can never drift apart.
// The label, when there is one, goes to the same grid by nearest neighbour.
import type { Vec3, Volume } from '../../core/volume/volume';
import type { TrainingConfig } from '../trainer/config';
import { normalizeIntensity } from './intensity';
import { resampledDims, resampleLinear, resampleNearest } from './resample';

/** What a model needs to reproduce its training grid and intensities (saved with the model). */
export interface InferenceSettings {
  patchSize: TrainingConfig['patchSize'];
  targetSpacingMm: TrainingConfig['targetSpacingMm'];
  normalization: TrainingConfig['normalization'];
}

export function inferenceSettings(config: TrainingConfig): InferenceSettings {
  return {
    patchSize: config.patchSize,
    targetSpacingMm: config.targetSpacingMm,
    normalization: config.normalization,
  };
}

export interface Preprocessed {
  /** The training grid's size; equal to the image's when no resampling was needed. */
  dims: Vec3;
  /** Whether the grid is the image's own (nothing resampled). */
  sameGrid: boolean;
  /** Normalised intensities on the training grid, i fastest. */
  image: Float32Array;
  /** The label on the training grid, when one was given. */
  label?: Uint8Array;
}

export function preprocess(
  image: Volume,
  label: Volume | undefined,
  settings: Pick<InferenceSettings, 'targetSpacingMm' | 'normalization'>,
): Preprocessed {
  const normalized = normalizeIntensity(image.data, settings.normalization);
  const dims =
    settings.targetSpacingMm === 'native'
      ? image.dims
      : resampledDims(image.dims, image.spacingMm, settings.targetSpacingMm);
  const sameGrid = dims.every((n, a) => n === image.dims[a]);
  const out: Preprocessed = {
    dims,
    sameGrid,
    image: sameGrid ? normalized : resampleLinear(normalized, image.dims, dims),
  };
  if (label) {
    const raw = label.data instanceof Uint8Array ? label.data : Uint8Array.from(label.data);
    out.label = sameGrid ? raw : resampleNearest(raw, image.dims, dims);
  }
  return out;
}
