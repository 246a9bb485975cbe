// Training a project end to end (engine, caller side): plan the studies, run the trainer
// process in a run folder, and register the result as a new model version. Shared by the CLI
// and the app's handlers; also starts the short speed probe behind the app's time estimate.
import { AppError } from '../../../core/errors';
import { registerModel, runFolder, type ProjectStore } from '../../../core/project';
import type { ModelRecord } from '../../../shared/contract/models';
import type { ProfileName, TrainingConfig, TrainingOverrides } from '../../trainer/config';
import type { TrainingOutcome } from '../../trainer/loop';
import {
  startEngineJob,
  startTrainerProcess,
  type EngineHandle,
  type EngineProcessOptions,
  type TrainingHandle,
} from './client';
import type { TrainingPlan } from './plan';
import {
  planTrainingStart,
  type ContinuationCheck,
  type StartFrom,
  type TrainingStart,
} from './trainingStart';
import type { ProbeOutcome } from '../protocol';

export interface ProjectTrainingOptions extends EngineProcessOptions {
  profile: ProfileName;
  overrides?: TrainingOverrides;
  resume?: boolean;
  /** Continue the active model (default 'auto': when it can) or start from scratch. */
  from?: StartFrom;
  /** A plan already made for this start (by the caller's own checks): used as is. */
  start?: TrainingStart;
}

export interface ProjectTraining {
  handle: TrainingHandle;
  resumed: boolean;
  /** The run folder (its checkpoint/ holds the history a resumed run continues). */
  runDir: string;
  plan: TrainingPlan;
  /** The requested configuration; a resumed run keeps its checkpoint's instead. */
  config: TrainingConfig;
  /** The active model's continuation check; `config.continueFrom` is the choice made. */
  continuation: ContinuationCheck | null;
  /** The registered model version, once training finished. */
  model: Promise<{ record: ModelRecord; outcome: TrainingOutcome }>;
}

export async function trainProject(
  store: ProjectStore,
  options: ProjectTrainingOptions,
): Promise<ProjectTraining> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'Training needs the project open for writing.');
  const start =
    options.start ??
    (await planTrainingStart(store, {
      profile: options.profile,
      overrides: options.overrides,
      from: options.from,
    }));
  const { config, plan } = start;
  const run = await runFolder(store, options.resume ?? false);
  const handle = startTrainerProcess(
    {
      projectRoot: store.root,
      runDir: run.dir,
      config,
      plan,
      resume: run.resumed,
      ...(start.warmStartDir && !run.resumed ? { warmStartDir: start.warmStartDir } : {}),
    },
    options,
  );
  let backend = { name: 'unknown', reason: '' };
  handle.events.on('backend', (b) => (backend = b));
  const model = handle.result.then(async (outcome) => {
    const record = await registerModel(
      store,
      run.dir,
      {
        profile: outcome.config.profile,
        supervisedOnly: outcome.config.supervisedOnly,
        parent: outcome.config.continueFrom ?? null,
        backend,
        config: outcome.config as unknown as Record<string, unknown>,
        labeled: plan.labeled,
        // What the model actually saw: a supervised-only run used no unlabeled study.
        unlabeled: config.supervisedOnly ? [] : plan.unlabeled,
        validation: plan.validation,
        iterations: outcome.iterations,
        durationMs: outcome.durationMs,
        metrics: { validationDice: outcome.validationDice, finalLosses: outcome.finalLosses },
      },
      outcome.history,
    );
    return { record, outcome };
  });
  return {
    handle,
    resumed: run.resumed,
    runDir: run.dir,
    plan,
    config,
    continuation: start.continuation,
    model,
  };
}

/** Times a few training steps of `config` on synthetic patches in an engine process. */
export function probeTrainingSpeed(
  config: TrainingConfig,
  options: EngineProcessOptions & { warmupSteps?: number; timedSteps?: number } = {},
): EngineHandle<ProbeOutcome> {
  return startEngineJob<ProbeOutcome>(
    {
      kind: 'probe',
      request: {
        config,
        warmupSteps: options.warmupSteps ?? 1,
        timedSteps: options.timedSteps ?? 2,
      },
    },
    config.backend,
    options,
  );
}
