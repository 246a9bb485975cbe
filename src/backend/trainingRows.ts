// Training profiles and loss rows for the app (plain Node, pure): turns the contract's profile
// choice and options into the engine's profile and overrides, and progress events into
// LOSS_COLUMNS rows (the columns the engine's history already has).
import { AppError } from '../core/errors';
import { resolveVNetConfig, spatialMultiple } from '../engine/model/config';
import {
  PROFILES,
  resolveTrainingConfig,
  type BackendChoice,
  type ProfileName,
  type TrainingConfig,
  type TrainingOverrides,
} from '../engine/trainer/config';
import { lossRow } from '../engine/trainer/history';
import type { TrainingProgress } from '../engine/trainer/loop';
import type { TrainingOptions, TrainingProfileChoice } from '../shared/contract/training';

/** The LOSS_COLUMNS row of one progress event (the engine's history uses the same columns). */
export function lossRowFromProgress(progress: TrainingProgress): number[] {
  return lossRow(progress.iteration, progress.losses, progress.learningRate);
}

/** The validation point a progress event brings, if validation ran at that iteration. */
export function validationPointOf(
  progress: TrainingProgress,
): { iteration: number; dice: number } | undefined {
  return progress.validated && progress.validationDice !== undefined
    ? { iteration: progress.iteration, dice: progress.validationDice }
    : undefined;
}

/** "custom" is the quick profile with the user's options; options refine every profile. */
export function engineProfile(choice: TrainingProfileChoice): ProfileName {
  return choice === 'custom' ? 'quick' : choice;
}

export function trainingOverrides(
  choice: TrainingProfileChoice,
  options: TrainingOptions = {},
  backend: string,
): TrainingOverrides {
  const base = PROFILES[engineProfile(choice)];
  const overrides: TrainingOverrides = { backend: backend as BackendChoice };
  if (options.iterations !== undefined) overrides.iterations = options.iterations;
  if (options.supervisedOnly !== undefined) overrides.supervisedOnly = options.supervisedOnly;
  if (options.seed !== undefined) overrides.seed = options.seed;
  if (options.patchSize !== undefined) overrides.patchSize = options.patchSize;
  if (options.targetSpacingMm !== undefined) overrides.targetSpacingMm = options.targetSpacingMm;
  if (options.baseWidth !== undefined)
    overrides.network = { ...base.network, baseFilters: options.baseWidth };
  if (options.checkpointEvery !== undefined) overrides.checkpointEvery = options.checkpointEvery;
  if (options.validationEvery !== undefined) overrides.validationEvery = options.validationEvery;
  return overrides;
}

/** The engine configuration a start or estimate would use, with the project's class count. */
export function appTrainingConfig(
  choice: TrainingProfileChoice,
  options: TrainingOptions | undefined,
  backend: string,
  numClasses: number,
): TrainingConfig {
  const config = resolveTrainingConfig(
    engineProfile(choice),
    trainingOverrides(choice, options, backend),
  );
  config.network = { ...config.network, numClasses };
  const multiple = spatialMultiple(resolveVNetConfig(config.network));
  if (config.patchSize.some((n) => n < multiple || n % multiple !== 0)) {
    throw new AppError(
      'BAD_INPUT',
      `Patch ${config.patchSize.join('×')} does not fit the network: each side must be a multiple of ${multiple}. Choose another patch size.`,
    );
  }
  return config;
}

/** What makes one training step faster or slower (not the iteration count or seed). */
export function speedFingerprint(config: TrainingConfig): string {
  return JSON.stringify([
    config.patchSize,
    config.labeledPerBatch,
    config.unlabeledPerBatch,
    config.network,
    config.projection,
    config.supervisedOnly,
    config.pairwiseReduction,
  ]);
}
