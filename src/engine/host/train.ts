// Training a project end to end (engine, caller side): plan the studies, run the trainer
// process in a run folder, and register the result as a new model version. Shared by the CLI
// and the app's handlers; also starts the short speed probe behind the app's time estimate.
import { AppError } from '../../core/errors';
import { registerModel, runFolder, type ProjectStore } from '../../core/project';
import type { ModelRecord } from '../../shared/contract/models';
import {
  resolveTrainingConfig,
  type ProfileName,
  type TrainingConfig,
  type TrainingOverrides,
} from '../trainer/config';
import type { TrainingOutcome } from '../trainer/loop';
import {
  startEngineJob,
  startTrainerProcess,
  type EngineHandle,
  type EngineProcessOptions,
  type TrainingHandle,
} from './client';
import { planTraining, type TrainingPlan } from './plan';
import type { ProbeOutcome } from './protocol';

export interface ProjectTrainingOptions extends EngineProcessOptions {
  profile: ProfileName;
  overrides?: TrainingOverrides;
  resume?: boolean;
}

export interface ProjectTraining {
  handle: TrainingHandle;
  resumed: boolean;
  /** The run folder (its checkpoint/ holds the history a resumed run continues). */
  runDir: string;
  plan: TrainingPlan;
  /** The requested configuration; a resumed run keeps its checkpoint's instead. */
  config: TrainingConfig;
  /** The registered model version, once training finished. */
  model: Promise<{ record: ModelRecord; outcome: TrainingOutcome }>;
}

export async function trainProject(
  store: ProjectStore,
  options: ProjectTrainingOptions,
): Promise<ProjectTraining> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'Training needs the project open for writing.');
  const config = resolveTrainingConfig(options.profile, options.overrides);
  const plan = planTraining(
    await store.listStudies(),
    store.manifest.labels.map((l) => l.value),
    config,
  );
  config.network = { ...config.network, numClasses: plan.numClasses };
  const run = await runFolder(store, options.resume ?? false);
  const handle = startTrainerProcess(
    { projectRoot: store.root, runDir: run.dir, config, plan, resume: run.resumed },
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
        backend,
        config: outcome.config as unknown as Record<string, unknown>,
        labeled: plan.labeled,
        unlabeled: plan.unlabeled,
        validation: plan.validation,
        iterations: outcome.iterations,
        durationMs: outcome.durationMs,
        metrics: { validationDice: outcome.validationDice, finalLosses: outcome.finalLosses },
      },
      outcome.history,
    );
    return { record, outcome };
  });
  return { handle, resumed: run.resumed, runDir: run.dir, plan, config, model };
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
