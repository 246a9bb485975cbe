// Planning one training start (engine, caller side, no TF.js): the configuration, the studies
// it uses, and whether it continues the active model version — the next round of the
// active-learning loop — or starts from scratch. The CLI, the app's estimate and the app's
// start all take this one answer, so what the user is shown is what runs.
import { AppError } from '../../../core/errors';
import { activeModelId, getModel, modelWeightsDir, type ProjectStore } from '../../../core/project';
import { readParamsMetadata } from '../../model/metadata';
import { resolveVNetConfig, type ResolvedVNetConfig } from '../../model/config';
import {
  resolveTrainingConfig,
  type ProfileName,
  type TrainingConfig,
  type TrainingOverrides,
} from '../../trainer/config';
import { planTraining, type TrainingPlan } from './plan';

import type { ContinuationCheck, StartFrom } from '../../../shared/contract/training';

export type { ContinuationCheck, StartFrom } from '../../../shared/contract/training';

export interface TrainingStart {
  config: TrainingConfig;
  plan: TrainingPlan;
  /** The active model's check (null without any model); `config.continueFrom` says the choice. */
  continuation: ContinuationCheck | null;
  /** Folder of the model version this run starts from, when it continues one. */
  warmStartDir?: string;
}

function networkDifference(
  saved: ResolvedVNetConfig,
  wanted: ResolvedVNetConfig,
): string | undefined {
  if (saved.numClasses !== wanted.numClasses)
    return `it predicts ${saved.numClasses - 1} label ${saved.numClasses === 2 ? 'class' : 'classes'}, the label set now has ${wanted.numClasses - 1}`;
  const keys = Object.keys(wanted) as (keyof ResolvedVNetConfig)[];
  const changed = keys.filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(wanted[k]));
  return changed.length ? `its network differs (${changed.join(', ')})` : undefined;
}

async function checkContinuation(
  store: ProjectStore,
  config: TrainingConfig,
  plan: TrainingPlan,
): Promise<ContinuationCheck | null> {
  const modelId = await activeModelId(store);
  if (!modelId) return null;
  const record = await getModel(store, modelId);
  const seen = new Set(
    [...record.labeled, ...record.validation].map((l) => `${l.studyId}@${l.labelVersion}`),
  );
  const newLabels = [...plan.labeled, ...plan.validation].filter(
    (l) => !seen.has(`${l.studyId}@${l.labelVersion}`),
  ).length;
  let saved: ResolvedVNetConfig;
  try {
    saved = (await readParamsMetadata(modelWeightsDir(store, modelId))).config;
  } catch (error) {
    return {
      modelId,
      possible: false,
      reason: `its weights cannot be read (${(error as Error).message})`,
      newLabels,
    };
  }
  const reason = networkDifference(saved, resolveVNetConfig(config.network));
  if (reason) return { modelId, possible: false, reason, newLabels };
  if (record.supervisedOnly !== config.supervisedOnly)
    return {
      modelId,
      possible: false,
      reason: record.supervisedOnly
        ? 'it was trained on labeled studies only (no teacher to continue)'
        : 'this run is supervised-only and would drop its teacher',
      newLabels,
    };
  return { modelId, possible: true, newLabels };
}

export async function planTrainingStart(
  store: ProjectStore,
  options: { profile: ProfileName; overrides?: TrainingOverrides; from?: StartFrom },
): Promise<TrainingStart> {
  const from = options.from ?? 'auto';
  const studies = await store.listStudies();
  const labelValues = store.manifest.labels.map((l) => l.value);
  const scratch = resolveTrainingConfig(options.profile, options.overrides);
  const plan = planTraining(studies, labelValues, scratch);
  scratch.network = { ...scratch.network, numClasses: plan.numClasses };
  // Checked for 'scratch' too: the app shows what continuing would have offered.
  const continuation = await checkContinuation(store, scratch, plan);
  const continuing = from !== 'scratch' && continuation?.possible === true;
  if (from === 'continue' && !continuing) {
    throw new AppError(
      'CONFLICT',
      continuation
        ? `Cannot continue from ${continuation.modelId}: ${continuation.reason}. Train from scratch instead.`
        : 'There is no model to continue from yet; train from scratch first.',
    );
  }
  if (!continuing) return { config: scratch, plan, continuation };
  const config = resolveTrainingConfig(options.profile, options.overrides, continuation!.modelId);
  config.network = { ...config.network, numClasses: plan.numClasses };
  return {
    config,
    plan,
    continuation,
    warmStartDir: modelWeightsDir(store, continuation!.modelId),
  };
}
