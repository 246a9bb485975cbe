// Training data (engine process): preprocesses studies on demand (resample to the training
// spacing, normalise) and samples augmented patch batches. Preprocessed volumes live in an LRU
// cache bounded by a byte budget, so the whole dataset never has to fit in RAM. A partially
// labeled study carries the voxels its annotated slices cover; its crops always contain some,
// so no labeled patch is empty of supervision.
import { annotatedVoxels } from '../../core/project/annotation';
import type { Rng } from '../../core/random';
import type { AnnotatedSlices } from '../../shared/contract/project';
import type { Vec3, Volume } from '../../core/volume/volume';
import type { IntensityNormalization } from './intensity';
import { augment, cropBox, randomAugmentation, randomStart, startAround } from './patches';
import { preprocess } from './preprocess';
import { resampleNearest } from './resample';

export interface TrainingStudySource {
  id: string;
  /** A partial label: only these slices (of the study's own grid) are annotated. */
  annotatedSlices?: AnnotatedSlices;
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
  /** Up to 4096 foreground voxel indices (annotated ones) for foreground-biased crops. */
  foreground?: Int32Array;
  /** Partial labels: 1 where the label is known, on the training grid. */
  annotated?: Uint8Array;
  /** Up to 4096 annotated voxel indices: every crop of a partial study centres on one. */
  annotatedSample?: Int32Array;
}

export interface Batch {
  /** [count][D][H][W] flattened; count = labeled or unlabeled per batch. */
  labeledImages: Float32Array;
  labels: Uint8Array;
  unlabeledImages: Float32Array;
  labeledCount: number;
  unlabeledCount: number;
  /** Where the labels are known (1) per labeled voxel; absent when every item is complete. */
  annotated?: Uint8Array;
  /** Per labeled item: true for a partial label. */
  partial: boolean[];
}

export function prepareStudy(
  id: string,
  image: Volume,
  label: Volume | undefined,
  options: Pick<DataOptions, 'targetSpacingMm' | 'normalization'>,
  annotatedSlices?: AnnotatedSlices,
): PreparedStudy {
  const grid = preprocess(image, label, options);
  const prepared: PreparedStudy = { id, dims: grid.dims, image: grid.image };
  if (grid.label) {
    prepared.label = grid.label;
    if (annotatedSlices) {
      // The known voxels go to the training grid by nearest neighbour, as the label does, so
      // each training voxel's label and its "known" flag come from the same source voxel.
      const onSource = annotatedVoxels(annotatedSlices, image.dims);
      const known = grid.sameGrid ? onSource : resampleNearest(onSource, image.dims, grid.dims);
      prepared.annotated = known;
      prepared.annotatedSample = sampleWhere((v) => known[v] !== 0, known.length);
      prepared.foreground = sampleWhere(
        (v) => known[v] !== 0 && grid.label![v] !== 0,
        known.length,
      );
    } else {
      prepared.foreground = sampleWhere((v) => grid.label![v] !== 0, grid.label.length);
    }
  }
  return prepared;
}

/** Up to `max` voxel indices where `keep` holds, evenly strided over the volume. */
function sampleWhere(keep: (v: number) => boolean, length: number, max = 4096): Int32Array {
  let count = 0;
  for (let index = 0; index < length; index++) if (keep(index)) count++;
  const step = Math.max(1, Math.floor(count / max));
  const out: number[] = [];
  let seen = 0;
  for (let index = 0; index < length; index++) {
    if (keep(index) && seen++ % step === 0) out.push(index);
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
    const patches: { annotated?: Uint8Array }[] = [];
    for (let b = 0; b < labeledCount; b++) {
      const study = await this.get(this.labeled[this.rng.int(this.labeled.length)]!, true);
      const patch = this.samplePatch(study, true);
      labeledImages.set(patch.image, b * voxels);
      labels.set(patch.label!, b * voxels);
      patches.push(patch);
    }
    const partial = patches.map((p) => p.annotated !== undefined);
    let annotated: Uint8Array | undefined;
    if (partial.some(Boolean)) {
      annotated = new Uint8Array(labeledCount * voxels).fill(1);
      patches.forEach((p, b) => p.annotated && annotated!.set(p.annotated, b * voxels));
    }
    // Without unlabeled studies the unlabeled branch sees labeled images (labels unused).
    const pool = this.unlabeled.length > 0 ? this.unlabeled : this.labeled;
    const count = unlabeledCount;
    const unlabeledImages = new Float32Array(count * voxels);
    for (let b = 0; b < count; b++) {
      const study = await this.get(pool[this.rng.int(pool.length)]!, false);
      unlabeledImages.set(this.samplePatch(study, false).image, b * voxels);
    }
    return {
      labeledImages,
      labels,
      unlabeledImages,
      labeledCount,
      unlabeledCount: count,
      partial,
      ...(annotated ? { annotated } : {}),
    };
  }

  private samplePatch(
    study: PreparedStudy,
    withLabel: boolean,
  ): { image: Float32Array; label?: Uint8Array; annotated?: Uint8Array } {
    const size = this.options.patchSize;
    let start: Vec3;
    const fg = study.foreground;
    const known = withLabel ? study.annotatedSample : undefined;
    const around = (indices: Int32Array) => {
      const index = indices[this.rng.int(indices.length)]!;
      const [nx, ny] = study.dims;
      const voxel: Vec3 = [index % nx, Math.floor(index / nx) % ny, Math.floor(index / (nx * ny))];
      return startAround(study.dims, size, voxel, this.rng);
    };
    if (withLabel && fg && fg.length > 0 && this.rng.next() < this.options.foregroundProbability) {
      start = around(fg);
    } else if (known && known.length > 0) {
      // A partial study: any crop, as long as it holds annotated voxels.
      start = around(known);
    } else {
      start = randomStart(study.dims, size, this.rng);
    }
    let image = cropBox(study.image, study.dims, start, size, new Float32Array(this.patchVoxels));
    let label =
      withLabel && study.label
        ? cropBox(study.label, study.dims, start, size, new Uint8Array(this.patchVoxels))
        : undefined;
    let annotated =
      withLabel && study.annotated
        ? cropBox(study.annotated, study.dims, start, size, new Uint8Array(this.patchVoxels))
        : undefined;
    if (this.options.augment) {
      const aug = randomAugmentation(this.rng);
      if (size[0] !== size[1]) aug.rot90 = (aug.rot90 & 2) as 0 | 2;
      image = augment(image, size, aug);
      if (label) label = augment(label, size, aug);
      if (annotated) annotated = augment(annotated, size, aug);
    }
    return { image, label, annotated };
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
    const prepared = prepareStudy(
      source.id,
      image,
      needLabel ? label : undefined,
      this.options,
      needLabel ? source.annotatedSlices : undefined,
    );
    const bytes = bytesOf(prepared);
    this.cache.set(key, prepared);
    this.cachedBytes += bytes;
    // Evict least-recently used volumes beyond the budget (always keep the one just loaded).
    for (const [oldKey, old] of this.cache) {
      if (this.cachedBytes <= this.options.memoryBudgetBytes || oldKey === key) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= bytesOf(old);
    }
    return prepared;
  }
}

function bytesOf(p: PreparedStudy): number {
  return p.image.byteLength + (p.label?.byteLength ?? 0) + (p.annotated?.byteLength ?? 0);
}
