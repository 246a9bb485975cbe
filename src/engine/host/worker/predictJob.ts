// Prediction job (engine process): loads a model version, predicts every requested study of a
// project (stored as proposals under predictions/<model>/<study>/, never over a human label) or
// every outside image (written next to each other, named like the inputs).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../core/errors';
import { writeJsonAtomic } from '../../../core/fs/atomic';
import { PROPOSAL_FILES, ProjectStore, type ProposalSummary } from '../../../core/project';
import { proposalFacts } from '../../../core/review/facts';
import { readVolumeFile, writeVolumeFile } from '../../../core/volume/nifti';
import { quantizeUnit, UNIT_SCALE } from '../../../core/volume/quantize';
import type { Volume } from '../../../core/volume/volume';
import { predictVolume } from '../../inference/predictVolume';
import { summarizeUncertainty, type UncertaintySummary } from '../../inference/uncertainty';
import { disposeParams, loadParams } from '../../model';
import type { InferenceSettings } from '../../data/preprocess';
import type {
  PredictedItem,
  PredictionOutcome,
  PredictionProgress,
  PredictionRequest,
  PredictionTarget,
} from '../protocol';

export async function runPrediction(
  request: PredictionRequest,
  hooks: { signal?: AbortSignal; onProgress?: (p: PredictionProgress) => void } = {},
): Promise<PredictionOutcome> {
  const started = Date.now();
  const { params, metadata } = await loadParams(request.modelDir);
  const settings = (metadata.extra as { inference?: InferenceSettings }).inference;
  if (!settings)
    throw new AppError(
      'CORRUPT_FILE',
      `${request.modelDir} has no inference settings; retrain the model.`,
    );
  try {
    const items = await itemsOf(request.target);
    const results: PredictedItem[] = [];
    for (const [index, item] of items.entries()) {
      const itemStart = Date.now();
      const image = await item.load();
      const prediction = await predictVolume(params, settings, image, {
        ...request.options,
        signal: hooks.signal,
        onProgress: (windowsDone, windowsTotal) => {
          const elapsed = (Date.now() - started) / 1000;
          const fraction = (index + windowsDone / windowsTotal) / items.length;
          hooks.onProgress?.({
            done: index,
            total: items.length,
            item: item.name,
            windowsDone,
            windowsTotal,
            etaSeconds: fraction > 0 ? (elapsed / fraction) * (1 - fraction) : 0,
          });
        },
      });
      const summary = summarizeUncertainty(prediction.uncertainty, prediction.labels, image.dims);
      const outputPath = await item.save(image, prediction, summary);
      results.push({ name: item.name, outputPath, summary, durationMs: Date.now() - itemStart });
    }
    hooks.onProgress?.({
      done: items.length,
      total: items.length,
      item: '',
      windowsDone: 0,
      windowsTotal: 0,
      etaSeconds: 0,
    });
    return { items: results, durationMs: Date.now() - started };
  } finally {
    disposeParams(params);
  }
}

interface Item {
  name: string;
  load(): Promise<Volume>;
  save(
    image: Volume,
    prediction: Awaited<ReturnType<typeof predictVolume>>,
    summary: UncertaintySummary,
  ): Promise<string>;
}

async function itemsOf(target: PredictionTarget): Promise<Item[]> {
  if (target.kind === 'files') {
    await fs.mkdir(target.outDir, { recursive: true });
    return target.inputs.map((input) => ({
      name: path.basename(input),
      load: () => readVolumeFile(input),
      save: async (image, prediction) => {
        const out = path.join(
          target.outDir,
          path
            .basename(input)
            .replace(/\.nii$/i, '.nii.gz')
            .replace(/\.hdr$/i, '.nii.gz'),
        );
        await writeVolumeFile(out, { ...image, data: prediction.labels });
        return out;
      },
    }));
  }
  const store = await ProjectStore.open(target.projectRoot, { write: false });
  return target.studyIds.map((id) => ({
    name: id,
    load: () => store.readImage(id),
    save: async (image, prediction, summary) => {
      const dir = path.join(target.outputDir, id);
      await writeVolumeFile(path.join(dir, PROPOSAL_FILES.label), {
        ...image,
        data: prediction.labels,
      });
      // Probabilities and uncertainty in [0, 1] as uint8 with scl_slope 1/255: a quarter of
      // float32's size before gzip, far less after; every reader gets floats back (the overlay
      // draws 8 bits anyway, the ranking uses the summary computed before quantising).
      for (const [file, values] of [
        [PROPOSAL_FILES.foreground, prediction.foreground],
        [PROPOSAL_FILES.uncertainty, prediction.uncertainty],
      ] as const)
        await writeVolumeFile(
          path.join(dir, file),
          { ...image, data: quantizeUnit(values) },
          { scale: UNIT_SCALE },
        );
      const record: ProposalSummary = {
        studyId: id,
        createdAt: new Date().toISOString(),
        ...summary,
        facts: proposalFacts(prediction.labels, image.dims, image.spacingMm),
      };
      await writeJsonAtomic(path.join(dir, PROPOSAL_FILES.summary), record);
      return path.join(dir, PROPOSAL_FILES.label);
    },
  }));
}
