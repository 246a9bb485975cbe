// Predicting for a project (engine, caller side): proposals for the unlabeled studies of a
// project, or labels for outside images, computed in an engine process.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../core/errors';
import {
  modelWeightsDir,
  proposalsDir,
  resolveModelId,
  type ProjectStore,
} from '../../../core/project';
import { hasFinalLabel } from '../../../shared/contract/project';
import type { PredictOptions } from '../../inference/predictVolume';
import { startPredictionProcess, type EngineProcessOptions, type PredictionHandle } from './client';

export interface PredictProjectOptions extends EngineProcessOptions {
  modelId?: string;
  /** Default: every study without a final label. */
  studies?: string[];
  backend: string;
  predict?: Partial<Omit<PredictOptions, 'onProgress' | 'signal'>>;
}

export async function predictProject(
  store: ProjectStore,
  options: PredictProjectOptions,
): Promise<{ modelId: string; handle: PredictionHandle }> {
  const modelId = await resolveModelId(store, options.modelId);
  const all = await store.listStudies();
  const studyIds = options.studies ?? all.filter((s) => !hasFinalLabel(s)).map((s) => s.id);
  for (const id of studyIds)
    if (!all.some((s) => s.id === id))
      throw new AppError('NOT_FOUND', `Study "${id}" does not exist.`);
  if (studyIds.length === 0)
    throw new AppError('NOT_FOUND', 'Every study is labeled: nothing to propose.');
  const handle = startPredictionProcess(
    {
      modelDir: modelWeightsDir(store, modelId),
      target: {
        kind: 'project',
        projectRoot: store.root,
        studyIds,
        outputDir: proposalsDir(store, modelId),
      },
      options: options.predict ?? {},
    },
    options.backend,
    options,
  );
  return { modelId, handle };
}

const NIFTI = /\.(nii|nii\.gz)$/i;

export async function predictFiles(
  store: ProjectStore,
  imagesDir: string,
  outDir: string,
  options: PredictProjectOptions,
): Promise<{ modelId: string; handle: PredictionHandle }> {
  const modelId = await resolveModelId(store, options.modelId);
  const names = (
    await fs.readdir(imagesDir).catch(() => {
      throw new AppError('NOT_FOUND', `${imagesDir} does not exist.`);
    })
  )
    .filter((n) => NIFTI.test(n))
    .sort();
  if (names.length === 0) throw new AppError('NOT_FOUND', `${imagesDir} holds no NIfTI images.`);
  const handle = startPredictionProcess(
    {
      modelDir: modelWeightsDir(store, modelId),
      target: { kind: 'files', inputs: names.map((n) => path.join(imagesDir, n)), outDir },
      options: options.predict ?? {},
    },
    options.backend,
    options,
  );
  return { modelId, handle };
}
