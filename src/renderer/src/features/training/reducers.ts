// Training state reducers (renderer, pure): how the job, its loss rows and validation points
// follow `training.status` and the `jobChanged` / `trainingProgressed` events, in any
// interleaving (a reload fetches status while events keep arriving).
import type { ApiEvents } from '../../../../shared/contract/events';
import type {
  JobState,
  ResumableCheckpoint,
  TrainingApiResults,
} from '../../../../shared/contract/training';

export interface TrainingData {
  job: JobState | null;
  losses: number[][];
  validation: { iteration: number; dice: number }[];
  checkpoint: ResumableCheckpoint | null;
}

export const EMPTY_TRAINING: TrainingData = {
  job: null,
  losses: [],
  validation: [],
  checkpoint: null,
};

export type TrainingEvent =
  | { event: 'jobChanged'; payload: ApiEvents['jobChanged'] }
  | { event: 'trainingProgressed'; payload: ApiEvents['trainingProgressed'] };

export function isEnded(job: JobState | null | undefined): boolean {
  return !!job && ['finished', 'failed', 'cancelled'].includes(job.phase);
}

export function fromStatus(status: TrainingApiResults['training.status']): TrainingData {
  return {
    job: status.job,
    losses: status.losses,
    validation: status.validation,
    checkpoint: status.checkpoint ?? null,
  };
}

/** A new job starts empty curves; the same job only merges its state (an ended job stays
 *  ended: a late event from before the status snapshot cannot revive it). */
export function withJob(data: TrainingData, job: JobState): TrainingData {
  if (data.job?.id === job.id) return isEnded(data.job) && !isEnded(job) ? data : { ...data, job };
  return { ...data, job, losses: [], validation: [] };
}

/** Appends a row of the current job when it is newer than the last one held (status overlap). */
export function withProgress(
  data: TrainingData,
  payload: ApiEvents['trainingProgressed'],
): TrainingData {
  return applyEvents(data, [{ event: 'trainingProgressed', payload }]);
}

/** Applies a batch of events in arrival order (one store update per batch). */
export function applyEvents(data: TrainingData, events: readonly TrainingEvent[]): TrainingData {
  let out = data;
  // Rows and points are appended to copies made once per batch, so long batches stay linear.
  let losses: number[][] | null = null;
  let validation: TrainingData['validation'] | null = null;
  const commit = () => {
    if (losses || validation)
      out = { ...out, losses: losses ?? out.losses, validation: validation ?? out.validation };
    losses = null;
    validation = null;
  };
  for (const e of events) {
    if (e.event === 'jobChanged') {
      commit();
      out = withJob(out, e.payload);
      continue;
    }
    const { jobId, row, validation: point } = e.payload;
    if (out.job?.id !== jobId) continue;
    const held = losses ?? out.losses;
    const iteration = row[0] ?? NaN;
    if (!(iteration > (held.at(-1)?.[0] ?? -Infinity))) continue;
    losses ??= [...out.losses];
    losses.push(row);
    const points = validation ?? out.validation;
    if (point && point.iteration > (points.at(-1)?.iteration ?? -Infinity)) {
      validation ??= [...out.validation];
      validation.push(point);
    }
  }
  commit();
  return out;
}
