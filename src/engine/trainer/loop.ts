// The training loop (engine, trainer process): sample a batch, take a SimCVD step, report
// progress with speed and ETA, checkpoint, validate, stop cleanly on cancel. Resumes from the
// run folder's checkpoint when asked.
import path from 'node:path';
import { AppError } from '../../core/errors';
import {
  PatchSampler,
  prepareStudy,
  type PreparedStudy,
  type TrainingStudySource,
} from '../data/dataset';
import { inferenceSettings } from '../data/preprocess';
import { saveParams } from '../model';
import type { TrainingConfig } from './config';
import { lossRow, type TrainingHistory } from './history';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { createTrainerState, disposeTrainerState, type TrainerState } from './state';
import { trainStep, type LossTerms } from './step';
import { validationDice } from './validation';
import { GpuError } from '../backends/webgpu';
import { gpuFailure } from './gpuFailure';
import { applyWarmStart, saveWarmStart } from './warmStart';

export interface TrainingProgress {
  iteration: number;
  iterations: number;
  losses: LossTerms;
  learningRate: number;
  iterationsPerSecond: number;
  etaSeconds: number;
  /** Latest validation Dice (mean over held-back studies), when validation runs. */
  validationDice?: number;
  /** True when validation ran at this iteration (so `validationDice` is a new point). */
  validated?: boolean;
}

export { type TrainingHistory } from './history';

export interface TrainingRun {
  config: TrainingConfig;
  labeled: TrainingStudySource[];
  unlabeled: TrainingStudySource[];
  validation: TrainingStudySource[];
  /** Holds checkpoint/ and, at the end, model/. */
  runDir: string;
  resume: boolean;
  /** Start a fresh run from this model version folder's weights (a continuation). */
  warmStartDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  onLog?: (message: string) => void;
  /** Runs between two iterations with the live state (e.g. previews); must not change it. */
  betweenIterations?: (state: TrainerState) => Promise<void>;
}

export interface TrainingOutcome {
  /** The configuration actually used (a resumed run keeps its checkpoint's). */
  config: TrainingConfig;
  iterations: number;
  resumedFrom: number | null;
  finalLosses: LossTerms | null;
  validationDice: number | null;
  history: TrainingHistory;
  modelDir: string;
  durationMs: number;
}

export { inferenceSettings, type InferenceSettings } from '../data/preprocess';

export async function runTraining(run: TrainingRun): Promise<TrainingOutcome> {
  const started = Date.now();
  const checkpointDir = path.join(run.runDir, 'checkpoint');
  let state: TrainerState;
  let history: TrainingHistory = { losses: [], validation: [] };
  let resumedFrom: number | null = null;
  if (run.resume && (await hasCheckpoint(checkpointDir))) {
    const loaded = await loadCheckpoint<TrainingHistory>(checkpointDir);
    state = loaded.state;
    history = loaded.history;
    resumedFrom = state.iteration;
    run.onLog?.(`resumed from iteration ${state.iteration}`);
  } else {
    if (run.resume) run.onLog?.('no checkpoint to resume from; starting from iteration 0');
    state = createTrainerState(run.config);
    if (run.warmStartDir) {
      const report = await applyWarmStart(state, run.warmStartDir);
      run.onLog?.(
        `continuing from ${run.config.continueFrom ?? path.basename(run.warmStartDir)}: student loaded, teacher ${report.teacher}, projection heads ${report.heads}`,
      );
    }
  }
  const config = state.config;
  try {
    const sampler = new PatchSampler(run.labeled, run.unlabeled, config, state.rng.fork());
    const validation = await prepareValidation(run.validation, config);
    let lastLosses: LossTerms | null = null;
    let validationDiceValue: number | null = history.validation.at(-1)?.dice ?? null;
    let secondsPerIteration = 0;
    while (state.iteration < config.iterations) {
      if (run.signal?.aborted) {
        await saveCheckpoint(checkpointDir, state, history);
        throw new AppError(
          'CANCELLED',
          `Training cancelled at iteration ${state.iteration}; the checkpoint is kept (resume with --resume).`,
        );
      }
      const t0 = performance.now();
      const batch = await sampler.nextBatch(config.labeledPerBatch, config.unlabeledPerBatch);
      let step;
      try {
        step = await trainStep(state, batch);
      } catch (error) {
        if (error instanceof GpuError) throw gpuFailure(error, config);
        throw error;
      }
      if (!Number.isFinite(step.losses.total)) {
        throw new AppError(
          'INTERNAL',
          `Training diverged at iteration ${step.iteration} (loss is not finite). Lower the learning rate or use another profile.`,
        );
      }
      lastLosses = step.losses;
      const l = step.losses;
      history.losses.push(lossRow(step.iteration, l, step.learningRate));
      const elapsed = (performance.now() - t0) / 1000;
      let validated = false;
      // Smoothed speed: the first iterations include warm-up and are not typical.
      secondsPerIteration =
        secondsPerIteration === 0 ? elapsed : 0.8 * secondsPerIteration + 0.2 * elapsed;
      if (
        validation.length &&
        config.validationEvery > 0 &&
        (step.iteration % config.validationEvery === 0 || step.iteration === config.iterations)
      ) {
        validationDiceValue = await validationDice(state.student, validation, config.patchSize);
        history.validation.push({ iteration: step.iteration, dice: validationDiceValue });
        validated = true;
      }
      run.onProgress?.({
        iteration: step.iteration,
        iterations: config.iterations,
        losses: step.losses,
        learningRate: step.learningRate,
        iterationsPerSecond: secondsPerIteration > 0 ? 1 / secondsPerIteration : 0,
        etaSeconds: secondsPerIteration * (config.iterations - step.iteration),
        ...(validationDiceValue !== null ? { validationDice: validationDiceValue } : {}),
        ...(validated ? { validated } : {}),
      });
      if (
        config.checkpointEvery > 0 &&
        step.iteration % config.checkpointEvery === 0 &&
        step.iteration < config.iterations
      ) {
        await saveCheckpoint(checkpointDir, state, history);
      }
      // Let messages (cancel, status requests) in between iterations.
      await new Promise((resolve) => setImmediate(resolve));
      if (run.betweenIterations) await run.betweenIterations(state);
    }
    await saveCheckpoint(checkpointDir, state, history);
    const modelDir = path.join(run.runDir, 'model');
    await saveParams(modelDir, state.student, {
      inference: inferenceSettings(config),
      iterations: state.iteration,
    });
    await saveWarmStart(modelDir, state);
    return {
      config,
      iterations: state.iteration,
      resumedFrom,
      finalLosses: lastLosses,
      validationDice: validationDiceValue,
      history,
      modelDir,
      durationMs: Date.now() - started,
    };
  } finally {
    disposeTrainerState(state);
  }
}

async function prepareValidation(
  sources: TrainingStudySource[],
  config: TrainingConfig,
): Promise<PreparedStudy[]> {
  const out: PreparedStudy[] = [];
  for (const source of sources) {
    const { image, label } = await source.load();
    out.push(prepareStudy(source.id, image, label, config));
  }
  return out;
}
