// Training data (engine process): preprocesses studies on demand (resample to the training
// spacing, normalise) and samples augmented patch batches. Preprocessed volumes live in an LRU
// cache bounded by a byte budget, so the whole dataset never has to fit in RAM.
import type { Rng } from '../../core/random';
import type { Vec3, Volume } from '../../core/volume/volume';
import type { IntensityNormalization } from './intensity';
import { augment, cropBox, randomAugmentation, randomStart, startAround } from './patches';
import { preprocess } from './preprocess';

export interface TrainingStudySource {
  id: string;
  /** Loads the image (and the label for labeled studies) from wherever it lives. */
  load(): Promise<{ image: Volume; label?: Volume }>;
}

export interface DataOptions {
  /** Patch size in voxels of the training grid, [i, j, k]; i and j equal for rot90. */
  patchSize: Vec3;
  /** Training voxel size, or 'native' to keep each study's own spacing. */
  targetSpacingMm: Vec3 | 'native';
  normalization: IntensityNormalization;
  /** Probability that a labeled patch is centred on foreground [D]: 0 = plain random crop [B]. */
  foregroundProbability: number;
  /** Random rot90 + flips in-plane [P][B]. */
  augment: boolean;
  /** Upper bound for cached preprocessed volumes, bytes. */
  memoryBudgetBytes: number;
}

export interface PreparedStudy {
  id: string;
  dims: Vec3;
  image: Float32Array;
  label?: Uint8Array;
  /** Up to 4096 foreground voxel indices for foreground-biased crops. */
  foreground?: Int32Array;
}

export interface Batch {
  /** [count][D][H][W] flattened; count = labeled or unlabeled per batch. */
  labeledImages: Float32Array;
  labels: Uint8Array;
  unlabeledImages: Float32Array;
  labeledCount: number;
  unlabeledCount: number;
}

export function prepareStudy(
  id: string,
  image: Volume,
  label: Volume | undefined,
  options: Pick<DataOptions, 'targetSpacingMm' | 'normalization'>,
): PreparedStudy {
  const grid = preprocess(image, label, options);
  const prepared: PreparedStudy = { id, dims: grid.dims, image: grid.image };
  if (grid.label) {
    prepared.label = grid.label;
    prepared.foreground = sampleForeground(grid.label);
  }
  return prepared;
}

function sampleForeground(label: Uint8Array, max = 4096): Int32Array {
  let count = 0;
  for (let index = 0; index < label.length; index++) if (label[index]) count++;
  const step = Math.max(1, Math.floor(count / max));
  const out: number[] = [];
  let seen = 0;
  for (let index = 0; index < label.length; index++) {
    if (label[index] && seen++ % step === 0) out.push(index);
  }
  return Int32Array.from(out);
}

export class PatchSampler {
  private readonly cache = new Map<string, PreparedStudy>();
  private cachedBytes = 0;

  constructor(
    private readonly labeled: TrainingStudySource[],
    private readonly unlabeled: TrainingStudySource[],
    private readonly options: DataOptions,
    private readonly rng: Rng,
  ) {
    if (labeled.length === 0) throw new Error('PatchSampler needs at least one labeled study');
  }

  get patchVoxels(): number {
    const [x, y, z] = this.options.patchSize;
    return x * y * z;
  }

  async nextBatch(labeledCount: number, unlabeledCount: number): Promise<Batch> {
    const voxels = this.patchVoxels;
    const labeledImages = new Float32Array(labeledCount * voxels);
    const labels = new Uint8Array(labeledCount * voxels);
    for (let b = 0; b < labeledCount; b++) {
      const study = await this.get(this.labeled[this.rng.int(this.labeled.length)]!, true);
      const patch = this.samplePatch(study, true);
      labeledImages.set(patch.image, b * voxels);
      labels.set(patch.label!, b * voxels);
    }
    // Without unlabeled studies the unlabeled branch sees labeled images (labels unused).
    const pool = this.unlabeled.length > 0 ? this.unlabeled : this.labeled;
    const count = unlabeledCount;
    const unlabeledImages = new Float32Array(count * voxels);
    for (let b = 0; b < count; b++) {
      const study = await this.get(pool[this.rng.int(pool.length)]!, false);
      unlabeledImages.set(this.samplePatch(study, false).image, b * voxels);
    }
    return { labeledImages, labels, unlabeledImages, labeledCount, unlabeledCount: count };
  }

  private samplePatch(
    study: PreparedStudy,
    withLabel: boolean,
  ): { image: Float32Array; label?: Uint8Array } {
    const size = this.options.patchSize;
    let start: Vec3;
    const fg = study.foreground;
    if (withLabel && fg && fg.length > 0 && this.rng.next() < this.options.foregroundProbability) {
      const index = fg[this.rng.int(fg.length)]!;
      const [nx, ny] = study.dims;
      start = startAround(
        study.dims,
        size,
        [index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))],
        this.rng,
      );
    } else {
      start = randomStart(study.dims, size, this.rng);
    }
    let image = cropBox(study.image, study.dims, start, size, new Float32Array(this.patchVoxels));
    let label =
      withLabel && study.label
        ? cropBox(study.label, study.dims, start, size, new Uint8Array(this.patchVoxels))
        : undefined;
    if (this.options.augment) {
      const aug = randomAugmentation(this.rng);
      if (size[0] !== size[1]) aug.rot90 = (aug.rot90 & 2) as 0 | 2;
      image = augment(image, size, aug);
      if (label) label = augment(label, size, aug);
    }
    return { image, label };
  }

  private async get(source: TrainingStudySource, needLabel: boolean): Promise<PreparedStudy> {
    const key = `${source.id}:${needLabel}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const { image, label } = await source.load();
    const prepared = prepareStudy(source.id, image, needLabel ? label : undefined, this.options);
    const bytes = prepared.image.byteLength + (prepared.label?.byteLength ?? 0);
    this.cache.set(key, prepared);
    this.cachedBytes += bytes;
    // Evict least-recently used volumes beyond the budget (always keep the one just loaded).
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= this.options.memoryBudgetBytes || oldKey === key) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= old.image.byteLength + (old.label?.byteLength ?? 0);
    }
    return prepared;
  }
}
