// training.* handlers (plain Node): estimate, start, cancel, status and live preview of
// the project's one training job. Input problems (no labels, empty label, bad patch) are
// refused as the call's own error before any job starts; the job slot keeps state and curves
// for reloaded windows.
import { AppError, isAppError } from '../../core/errors';
import type { TrainingHandle } from '../../engine/host/caller/client';
import { planCounts, planTraining, type TrainingPlan } from '../../engine/host/caller/plan';
import { planTrainingStart, type TrainingStart } from '../../engine/host/caller/trainingStart';
import type { TrainingConfig } from '../../engine/trainer/config';
import type { z } from 'zod';
import {
  trainingParamSchemas,
  type StartFrom,
  type TrainingEstimate,
  type TrainingApiResults,
  type TrainingOptions,
  type TrainingProfileChoice,
} from '../../shared/contract/training';
import { hasFinalLabel, type StudyRecord } from '../../shared/contract/project';
import { engineOptions, type ProjectContext } from '../context';
import { findResumableRun } from '../trainingCheckpoint';
import { cachedSpeed, SpeedProbes, speedKey } from '../trainingEstimate';
import { runTrainingJob } from '../trainingJob';
import { appTrainingConfig, engineProfile, trainingOverrides } from '../trainingRows';

type Params<M extends keyof typeof trainingParamSchemas> = z.output<
  (typeof trainingParamSchemas)[M]
>;
type TrainingHandlers = {
  [M in keyof TrainingApiResults]: (p: Params<M>) => Promise<TrainingApiResults[M]>;
};

export function createTrainingHandlers(ctx: ProjectContext): TrainingHandlers {
  const { store, jobs } = ctx;
  const probes = new SpeedProbes();
  // A measurement must not outlive the project (it would keep `simcvd serve` from exiting).
  ctx.onClose?.(() => probes.stopAll());
  let trainer: TrainingHandle | null = null;

  const numClasses = () => Math.max(1, ...store.manifest.labels.map((l) => l.value)) + 1;
  const configFor = (profile: TrainingProfileChoice, options?: TrainingOptions) =>
    appTrainingConfig(profile, options, engineOptions(ctx).backend, numClasses());
  /** The one plan of a start: configuration, studies, continuation (checks the patch first). */
  const startFor = (
    profile: TrainingProfileChoice,
    options?: TrainingOptions,
    from?: StartFrom,
  ) => {
    configFor(profile, options);
    return planTrainingStart(store, {
      profile: engineProfile(profile),
      overrides: trainingOverrides(profile, options, engineOptions(ctx).backend),
      from,
    });
  };

  return {
    'training.estimate': async ({ profile, options, from }) => {
      const backendSetting = engineOptions(ctx).backend;
      let start: TrainingStart | null = null;
      try {
        start = await startFor(profile, options, from);
      } catch (error) {
        // Without a usable label there is no plan yet; the estimate still shows the time.
        if (!isAppError(error) || error.code !== 'BAD_INPUT') throw error;
      }
      const config = start?.config ?? configFor(profile, options);
      const counts = studyCounts(await store.listStudies(), config);
      const { entry, maxHeapMiB, threads } = engineOptions(ctx);
      // The speed depends on the threads the next job will use.
      const key = `${speedKey(backendSetting, config)}|${threads}`;
      let speed = cachedSpeed(key);
      if (!speed) {
        if (jobs.busy)
          throw new AppError(
            'CONFLICT',
            'A job is running in this project; the speed is measured when the machine is free. Its own progress shows iterations per second.',
          );
        speed = await probes.measure(key, config, { entry, maxHeapMiB, threads });
      }
      return {
        backend: speed.backend,
        profile,
        iterations: config.iterations,
        secondsPerIteration: speed.secondsPerIteration,
        estimatedSeconds: speed.secondsPerIteration * config.iterations,
        ...counts,
        continuation: start?.continuation ?? null,
        continueFrom: config.continueFrom,
      };
    },

    'training.start': async ({ profile, options, resume, predictAfter, from }) => {
      refuseWhileBusy();
      // Planned here, so bad input is this call's error rather than a failed job.
      const start = await startFor(profile, options, from);
      const { config } = start;
      const checkpoint = resume ? await findResumableRun(store) : null;
      probes.stopAll();
      const job = jobs.start(
        'training',
        {
          profile: checkpoint ? (checkpoint.profile as TrainingProfileChoice) : profile,
          resumed: checkpoint !== null,
          iterations: checkpoint ? checkpoint.iterations : config.iterations,
          ...(config.continueFrom && !checkpoint ? { continueFrom: config.continueFrom } : {}),
        },
        (control) =>
          runTrainingJob(ctx, control, {
            profile: engineProfile(profile),
            overrides: trainingOverrides(profile, options, engineOptions(ctx).backend),
            resume: resume ?? false,
            start,
            predictAfter: predictAfter ?? true,
            onTrainer: (handle) => (trainer = handle),
          }),
      );
      return { job };
    },

    'training.cancel': async () => ({ job: jobs.cancel() }),

    'training.status': async () => ({
      job: jobs.current,
      ...jobs.history(),
      checkpoint: await resumableCheckpoint(),
    }),

    'training.preview': async ({ studyId, k, network }) => {
      const job = jobs.current;
      if (!trainer || !jobs.busy || job?.kind !== 'training' || job.phase !== 'training')
        throw new AppError(
          'NOT_FOUND',
          job?.phase === 'starting'
            ? 'Training is still starting; the preview is available from the first iteration.'
            : 'No training is running in this project; start training to preview its prediction.',
        );
      const study = await store.getStudy(studyId);
      if (k >= study.dims[2])
        throw new AppError(
          'BAD_INPUT',
          `Slice ${k} is outside study "${studyId}" (axial slices 0 to ${study.dims[2] - 1}).`,
        );
      return { ...(await trainer.preview(studyId, k, network ?? 'teacher')), affine: study.affine };
    },
  };

  function refuseWhileBusy(): void {
    const running = jobs.current;
    if (jobs.busy && running)
      throw new AppError(
        'CONFLICT',
        `A ${running.kind} job is already running in this project (${running.phase}); cancel it or wait for it to finish.`,
      );
  }

  async function resumableCheckpoint() {
    const run = await findResumableRun(store);
    if (!run) return null;
    const { dir: _dir, ...checkpoint } = run;
    return checkpoint;
  }
}

/** Studies a run would use; without a usable label the counts still show (labeled = 0). */
function studyCounts(
  studies: StudyRecord[],
  config: TrainingConfig,
): Pick<
  TrainingEstimate,
  'labeled' | 'partiallyLabeled' | 'annotatedSlices' | 'unlabeled' | 'validation'
> {
  let plan: TrainingPlan;
  try {
    plan = planTraining(studies, [1], config);
  } catch {
    const labeled = studies.filter(hasFinalLabel).length;
    return {
      labeled,
      partiallyLabeled: 0,
      annotatedSlices: 0,
      unlabeled: studies.length - labeled,
      validation: 0,
    };
  }
  const counts = planCounts(plan);
  return {
    labeled: counts.full,
    partiallyLabeled: counts.partial,
    annotatedSlices: counts.partialSlices,
    unlabeled: counts.unlabeled,
    validation: counts.validation,
  };
}
