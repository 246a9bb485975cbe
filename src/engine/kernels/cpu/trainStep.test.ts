// Whole SimCVD training steps (Node, cpu backend, tiny profile) at 1, 2 and 3 compute threads:
// the loss terms and every weight of student and teacher (moving statistics and projection heads
// included) must be bit-identical, and the multi-threaded runs must really use the workers.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticBatch } from '../../host/worker/probe';
import { projectionHeadVariables } from '../../model';
import { resolveTrainingConfig } from '../../trainer/config';
import { createTrainerState, disposeTrainerState } from '../../trainer/state';
import { trainStep } from '../../trainer/step';
import {
  closeComputePool,
  computePoolStats,
  poolEveryJobForTesting,
  setComputeThreads,
  takeComputePoolDiagnostic,
} from './pool';

beforeAll(async () => {
  await tf.setBackend('cpu');
  poolEveryJobForTesting(true);
});

afterAll(async () => {
  poolEveryJobForTesting(false);
  setComputeThreads(1);
  await closeComputePool();
});

/** Two steps from the same seed; the losses and all weights afterwards, as raw bytes. */
async function twoSteps(threads: number) {
  setComputeThreads(threads);
  const config = resolveTrainingConfig('tiny', { backend: 'cpu', iterations: 4 });
  const state = createTrainerState(config);
  const batch = syntheticBatch(config);
  const losses: number[] = [];
  for (let s = 0; s < 2; s++) losses.push(...Object.values((await trainStep(state, batch)).losses));
  const variables = [
    ...state.student.vars.values(),
    ...state.teacher.vars.values(),
    ...projectionHeadVariables(state.studentHead),
    ...projectionHeadVariables(state.teacherHead),
  ];
  const weights = await Promise.all(
    variables.map(async (v) => Buffer.from((await v.data()).buffer as ArrayBuffer)),
  );
  disposeTrainerState(state);
  return { losses: Float64Array.from(losses), weights };
}

describe('training step on the compute pool', () => {
  it('gives bit-identical losses and weights at 1, 2 and 3 threads', async () => {
    const reference = await twoSteps(1);
    expect(reference.losses.every(Number.isFinite)).toBe(true);
    for (const threads of [2, 3]) {
      const pooled = computePoolStats.pooledJobs;
      const run = await twoSteps(threads);
      expect(computePoolStats.pooledJobs - pooled, `${threads} threads`).toBeGreaterThan(100);
      expect(Buffer.from(run.losses.buffer)).toEqual(Buffer.from(reference.losses.buffer));
      expect(run.weights.length).toBe(reference.weights.length);
      run.weights.forEach((w, i) => {
        expect(w.equals(reference.weights[i]), `weight ${i}, ${threads} threads`).toBe(true);
      });
    }
    expect(takeComputePoolDiagnostic()).toBeUndefined();
  });
});
