// Training as a project job (plain Node): runs the trainer process, turns its progress into the
// job's state and loss rows, registers the model, then (by default) predicts proposals for the
// studies without a final label in the same job. Keeps the live trainer handle for previews.
import { trainProject, type ProjectTraining } from '../engine/host/caller/train';
import type { TrainingStart } from '../engine/host/caller/trainingStart';
import type { ProfileName, TrainingOverrides } from '../engine/trainer/config';
import type { TrainingProgress } from '../engine/trainer/loop';
import { hasFinalLabel } from '../shared/contract/project';
import type { JobState } from '../shared/contract/training';
import { engineOptions, type ProjectContext } from './context';
import type { JobControl } from './jobs';
import { predictProposals } from './predictionJob';
import { readCheckpointHistory } from './trainingCheckpoint';
import { lossRowFromProgress, validationPointOf } from './trainingRows';

export interface TrainingJobRequest {
  profile: ProfileName;
  overrides: TrainingOverrides;
  resume: boolean;
  /** The plan the start call made (trained as planned, not planned again). */
  start?: TrainingStart;
  predictAfter: boolean;
  /** Told when the trainer process exists and when it is gone (for previews). */
  onTrainer(handle: ProjectTraining['handle'] | null): void;
}

export async function runTrainingJob(
  ctx: ProjectContext,
  control: JobControl,
  request: TrainingJobRequest,
): Promise<Partial<JobState>> {
  const training = await trainProject(ctx.store, {
    ...engineOptions(ctx),
    profile: request.profile,
    overrides: request.overrides,
    resume: request.resume,
    start: request.start,
  });
  const { handle } = training;
  control.onCancel(() => handle.cancel());
  request.onTrainer(handle);
  try {
    // Progress waits until a resumed run's earlier rows are in, so rows stay in order.
    const early: TrainingProgress[] = [];
    let ready = false;
    const onProgress = (p: TrainingProgress) => {
      if (!ready) {
        early.push(p);
        return;
      }
      control.addLossRow(lossRowFromProgress(p), validationPointOf(p));
      control.update({
        iteration: p.iteration,
        iterations: p.iterations,
        iterationsPerSecond: p.iterationsPerSecond,
        etaSeconds: p.etaSeconds,
        ...(p.validationDice !== undefined ? { validationDice: p.validationDice } : {}),
      });
    };
    handle.events.on('progress', onProgress);
    handle.events.on('backend', (backend) => control.update({ backend }));
    control.update({
      phase: 'training',
      resumed: training.resumed,
      iterations: training.config.iterations,
    });
    if (training.resumed) await replayCheckpoint(control, training.runDir);
    ready = true;
    for (const p of early.splice(0)) onProgress(p);

    const { record } = await training.model;
    control.update({ modelId: record.id });
    request.onTrainer(null);
    if (request.predictAfter && !control.cancelled) {
      const studies = await ctx.store.listStudies();
      if (studies.some((s) => !hasFinalLabel(s))) {
        control.update({ phase: 'predicting' });
        await predictProposals(ctx, control, { modelId: record.id });
      }
    }
    return { modelId: record.id };
  } finally {
    request.onTrainer(null);
  }
}

/** A resumed run shows its whole curve: the rows saved with the checkpoint come first. */
async function replayCheckpoint(control: JobControl, runDir: string): Promise<void> {
  const history = await readCheckpointHistory(runDir);
  const points = new Map(history.validation.map((p) => [p.iteration, p]));
  const last = history.losses.at(-1);
  for (const row of history.losses) control.addLossRow(row, points.get(row[0]!));
  const dice = history.validation.at(-1)?.dice;
  control.update({
    ...(last ? { iteration: last[0] } : {}),
    ...(dice !== undefined ? { validationDice: dice } : {}),
  });
}
