// Training through the app's API (Node, real Workspace and engine processes on the cpu
// backend): estimate, start with live events, one job at a time, proposals after training,
// cancel and resume from the checkpoint, live preview, and clear refusals without labels.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalsDir } from '../../src/core/project';
import { Workspace } from '../../src/backend/workspace';
import type { ApiEventMessage } from '../../src/shared/contract/events';
import type { JobState } from '../../src/shared/contract/training';
import { LOSS_COLUMNS } from '../../src/shared/contract/training';
import { tempDir } from '../helpers/fixtures';

const DEMO = { studies: 4, test: 0, labeled: 2, dims: [24, 24, 16] as [number, number, number] };

let events: ApiEventMessage[] = [];
let ws: Workspace;

/** Calls the workspace like a transport does; throws the {code, message} of a failure. */
async function call<T = unknown>(method: string, params: unknown = {}): Promise<T> {
  const response = await ws.call(method, params);
  if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
  return response.result as T;
}

function jobEvents(jobId: string): JobState[] {
  return events
    .filter((e) => e.event === 'jobChanged' && (e.payload as JobState).id === jobId)
    .map((e) => e.payload as JobState);
}

function rowsOf(jobId: string): number[][] {
  return events
    .filter(
      (e) => e.event === 'trainingProgressed' && (e.payload as { jobId: string }).jobId === jobId,
    )
    .map((e) => (e.payload as { row: number[] }).row);
}

async function until<T>(check: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ended = (job: JobState | undefined) =>
  job && ['finished', 'failed', 'cancelled'].includes(job.phase) ? job : undefined;

beforeAll(async () => {
  const root = await tempDir();
  ws = new Workspace({
    shell: 'server',
    defaultDemoPath: path.join(root, 'demo'),
    demo: DEMO,
    settings: { backend: 'cpu' },
    emit: (event, payload) => events.push({ event, payload } as ApiEventMessage),
  });
  await call('app.openDemo', {});
});

afterAll(async () => {
  await ws?.dispose();
});

describe('training through the API', () => {
  it('estimates seconds per iteration on the backend the engine picks, then from its cache', async () => {
    const estimate = await call<{
      backend: { name: string };
      secondsPerIteration: number;
      estimatedSeconds: number;
      iterations: number;
      labeled: number;
      unlabeled: number;
    }>('training.estimate', { profile: 'tiny', options: { iterations: 6 } });
    expect(estimate.backend.name).toBe('cpu');
    expect(estimate.secondsPerIteration).toBeGreaterThan(0);
    expect(estimate.estimatedSeconds).toBeCloseTo(6 * estimate.secondsPerIteration, 6);
    expect(estimate).toMatchObject({ iterations: 6, labeled: 2, unlabeled: 2 });
    const started = Date.now();
    const again = await call<{ secondsPerIteration: number }>('training.estimate', {
      profile: 'tiny',
      options: { iterations: 50 },
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(again.secondsPerIteration).toBe(estimate.secondsPerIteration);
  });

  it('trains, streams progress, refuses a second start, and predicts proposals after', async () => {
    events = [];
    const { job } = await call<{ job: JobState }>('training.start', {
      profile: 'tiny',
      options: { iterations: 6 },
    });
    expect(job).toMatchObject({ kind: 'training', phase: 'starting', profile: 'tiny' });
    await expect(call('training.start', { profile: 'tiny' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const final = await until(() => ended(jobEvents(job.id).at(-1)));
    expect(final.error).toBeUndefined();
    expect(final).toMatchObject({ phase: 'finished', iteration: 6, iterations: 6 });
    expect(final.modelId).toMatch(/^m\d+$/);
    const phases = new Set(jobEvents(job.id).map((j) => j.phase));
    expect([...phases]).toEqual(['starting', 'training', 'predicting', 'finished']);
    expect(jobEvents(job.id).some((j) => j.backend?.name === 'cpu')).toBe(true);
    expect(final.prediction).toMatchObject({ done: 2, total: 2 });
    expect(events.some((e) => e.event === 'reviewChanged')).toBe(true);
    for (const id of ['case_003', 'case_004'])
      await fs.access(path.join(proposalsDir(ws.project!, final.modelId!), id, 'label.nii.gz'));

    const rows = rowsOf(job.id);
    expect(rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6]);
    const status = await call<{ job: JobState; losses: number[][]; checkpoint: unknown }>(
      'training.status',
    );
    expect(status.job).toMatchObject({ id: job.id, phase: 'finished', modelId: final.modelId });
    expect(status.losses).toEqual(rows);
    expect(status.checkpoint).toBeNull();
    const col = (name: (typeof LOSS_COLUMNS)[number]) => LOSS_COLUMNS.indexOf(name);
    for (const row of rows) {
      expect(row).toHaveLength(LOSS_COLUMNS.length);
      expect(row.every(Number.isFinite)).toBe(true);
      // Columns by meaning: the tiny profile's SGD rate and the ramp weight Ψ ∈ [0, 1].
      expect(row[col('learningRate')]).toBeCloseTo(0.01, 6);
      expect(row[col('rampWeight')]).toBeGreaterThanOrEqual(0);
      expect(row[col('rampWeight')]).toBeLessThanOrEqual(1);
      expect(row[col('supervised')]).toBeCloseTo(
        0.5 * row[col('ce')]! + 0.5 * row[col('dice')]! + 0.1 * row[col('sdm')]!,
        4,
      );
    }
    await expect(call('training.preview', { studyId: 'case_001', k: 3 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('previews the live prediction, cancels with a checkpoint, and resumes from it', async () => {
    events = [];
    const { job } = await call<{ job: JobState }>('training.start', {
      profile: 'tiny',
      options: { iterations: 12, checkpointEvery: 2 },
      predictAfter: false,
    });
    await until(() => rowsOf(job.id).length > 0);
    const preview = await call<{
      dims: [number, number];
      probability: ArrayBuffer;
      iteration: number;
      network: string;
      k: number;
      affine: number[];
    }>('training.preview', { studyId: 'case_003', k: 8 });
    expect(preview).toMatchObject({ dims: [24, 24], k: 8, network: 'teacher' });
    expect(preview.affine).toEqual((await ws.project!.getStudy('case_003')).affine);
    expect(preview.iteration).toBeGreaterThanOrEqual(1);
    const bytes = new Uint8Array(preview.probability);
    expect(bytes.length).toBe(24 * 24);
    // Probabilities ×255: not a constant image (the network sees the anatomy).
    expect(Math.max(...bytes)).toBeGreaterThan(Math.min(...bytes));
    await expect(call('training.preview', { studyId: 'case_003', k: 16 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });

    await call('training.cancel');
    const cancelled = await until(() => ended(jobEvents(job.id).at(-1)));
    expect(cancelled.phase).toBe('cancelled');
    const stoppedAt = rowsOf(job.id).length;
    const status = await call<{ checkpoint: { iteration: number; iterations: number } }>(
      'training.status',
    );
    expect(status.checkpoint).toMatchObject({ iteration: stoppedAt, iterations: 12 });

    events = [];
    const resumed = await call<{ job: JobState }>('training.start', {
      profile: 'tiny',
      resume: true,
      predictAfter: false,
    });
    expect(resumed.job).toMatchObject({ resumed: true, iterations: 12 });
    const done = await until(() => ended(jobEvents(resumed.job.id).at(-1)));
    expect(done.error).toBeUndefined();
    expect(done.phase).toBe('finished');
    // The earlier rows are replayed first, then training continues after the checkpoint.
    const rows = rowsOf(resumed.job.id).map((r) => r[0]);
    expect(rows).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(jobEvents(resumed.job.id).some((j) => j.phase === 'predicting')).toBe(false);
  });

  it('refuses to train a project without labels, as the call error', async () => {
    const root = await tempDir();
    const other = new Workspace({
      shell: 'server',
      defaultDemoPath: path.join(root, 'demo'),
      demo: { ...DEMO, labeled: 0 },
      settings: { backend: 'cpu' },
    });
    try {
      await other.call('app.openDemo', {});
      const response = await other.call('training.start', { profile: 'tiny' });
      expect(response).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT', message: expect.stringMatching(/no labeled study.*Label/) },
      });
      const status = await other.call('training.status', {});
      expect(status).toMatchObject({ ok: true, result: { job: null } });
    } finally {
      await other.dispose();
    }
  });
});
