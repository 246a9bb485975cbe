// Unit tests (Node) for the training store reducers: a status snapshot plus events in any
// interleaving gives each row once and in order, a new job starts fresh curves, and an ended
// job is not revived by a late event.
import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../../shared/contract/training';
import {
  applyEvents,
  EMPTY_TRAINING,
  fromStatus,
  withJob,
  withProgress,
  type TrainingEvent,
} from './reducers';

const job = (id: string, patch: Partial<JobState> = {}): JobState => ({
  id,
  kind: 'training',
  phase: 'training',
  startedAt: '2025-01-01T00:00:00Z',
  ...patch,
});
const row = (iteration: number) => [iteration, 1 / iteration];
const payload = (jobId: string, iteration: number, dice?: number) => ({
  jobId,
  row: row(iteration),
  ...(dice !== undefined ? { validation: { iteration, dice } } : {}),
});
const progress = (jobId: string, iteration: number, dice?: number): TrainingEvent => ({
  event: 'trainingProgressed',
  payload: payload(jobId, iteration, dice),
});

describe('training reducers', () => {
  it('appends rows of the current job once, after the status snapshot', () => {
    const status = fromStatus({
      job: job('a'),
      losses: [row(1), row(2)],
      validation: [{ iteration: 2, dice: 0.5 }],
      checkpoint: null,
    });
    // Events 2 and 3 arrived while the status was loading; 2 is already in it.
    const out = applyEvents(status, [
      progress('a', 2, 0.5),
      progress('a', 3),
      progress('a', 4, 0.6),
    ]);
    expect(out.losses.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    expect(out.validation).toEqual([
      { iteration: 2, dice: 0.5 },
      { iteration: 4, dice: 0.6 },
    ]);
    expect(status.losses).toHaveLength(2); // inputs are not mutated
  });

  it('ignores rows of other jobs and starts fresh curves for a new job', () => {
    let data = withJob(EMPTY_TRAINING, job('a'));
    data = withProgress(data, payload('a', 1));
    data = withProgress(data, payload('b', 1));
    expect(data.losses).toEqual([row(1)]);
    data = applyEvents(data, [
      { event: 'jobChanged', payload: job('b', { phase: 'starting' }) },
      progress('b', 1),
      progress('a', 2),
    ]);
    expect(data.job?.id).toBe('b');
    expect(data.losses).toEqual([row(1)]);
  });

  it('replays a resumed run from iteration 1 within its own job', () => {
    const data = applyEvents(withJob(EMPTY_TRAINING, job('r', { resumed: true })), [
      ...[1, 2, 3].map((i) => progress('r', i)),
      { event: 'jobChanged', payload: job('r', { iteration: 3, resumed: true }) },
      progress('r', 4),
    ]);
    expect(data.losses.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    expect(data.job?.iteration).toBe(3);
  });

  it('keeps an ended job ended when an older event arrives late', () => {
    const ended = withJob(EMPTY_TRAINING, job('a', { phase: 'finished', modelId: 'm0001' }));
    const late = withJob(ended, job('a', { phase: 'predicting' }));
    expect(late.job).toMatchObject({ phase: 'finished', modelId: 'm0001' });
    const next = withJob(late, job('b', { phase: 'starting' }));
    expect(next.job?.id).toBe('b');
  });
});
