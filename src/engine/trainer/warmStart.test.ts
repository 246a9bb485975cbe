// Unit tests (Node, cpu backend) for continuing from a model version: the saved student,
// teacher and heads come back exactly; an older model folder (student only) gives a teacher
// copied from the student; another network is refused.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticBatch } from '../host/worker/probe';
import { projectionHeadVariables, saveParams, trainableVariables } from '../model';
import { resolveTrainingConfig } from './config';
import { createTrainerState, disposeTrainerState, type TrainerState } from './state';
import { trainStep } from './step';
import { applyWarmStart, saveWarmStart } from './warmStart';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-warm-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const config = resolveTrainingConfig('tiny', { backend: 'cpu', iterations: 3 });

async function valuesOf(state: TrainerState): Promise<number[][]> {
  const all = [
    ...trainableVariables(state.student),
    ...trainableVariables(state.teacher),
    ...projectionHeadVariables(state.studentHead),
    ...projectionHeadVariables(state.teacherHead),
  ];
  return Promise.all(all.map(async (v) => Array.from(await v.data())));
}

describe('warm start', () => {
  it('brings back the student, teacher and both heads of a finished run exactly', async () => {
    const trained = createTrainerState(config);
    await trainStep(trained, syntheticBatch(config));
    const folder = path.join(dir, 'm0001');
    await saveParams(folder, trained.student);
    await saveWarmStart(folder, trained);
    const fresh = createTrainerState({ ...config, seed: 99 });
    expect(await valuesOf(fresh)).not.toEqual(await valuesOf(trained));
    expect(await applyWarmStart(fresh, folder)).toEqual({ teacher: 'loaded', heads: 'loaded' });
    expect(await valuesOf(fresh)).toEqual(await valuesOf(trained));
    disposeTrainerState(trained);
    disposeTrainerState(fresh);
  });

  it('continues an older model (student only) with the teacher copied from it', async () => {
    const trained = createTrainerState(config);
    const folder = path.join(dir, 'old');
    await saveParams(folder, trained.student);
    const fresh = createTrainerState({ ...config, seed: 5 });
    const report = await applyWarmStart(fresh, folder);
    expect(report).toEqual({ teacher: 'copied from the student', heads: 'fresh' });
    const student = await Promise.all(trainableVariables(fresh.student).map((v) => v.data()));
    const teacher = await Promise.all(trainableVariables(fresh.teacher).map((v) => v.data()));
    expect(teacher.map((t) => Array.from(t))).toEqual(student.map((s) => Array.from(s)));
    disposeTrainerState(trained);
    disposeTrainerState(fresh);
  });

  it('refuses a model of another network', async () => {
    const threeClasses = { ...config, network: { ...config.network, numClasses: 3 } };
    const other = createTrainerState(threeClasses);
    const folder = path.join(dir, 'other');
    await saveParams(folder, other.student);
    const state = createTrainerState(config);
    await expect(applyWarmStart(state, folder)).rejects.toMatchObject({ code: 'CONFLICT' });
    disposeTrainerState(other);
    disposeTrainerState(state);
  });
});

describe('continuation config', () => {
  it('takes 30 % of the budget, the stepped learning rate, and Ψ at full weight', async () => {
    const quick = resolveTrainingConfig('quick', {}, 'm0003');
    expect(quick.iterations).toBe(90);
    expect(quick.continueFrom).toBe('m0003');
    expect(quick.learningRate).toBeCloseTo(0.001, 10);
    expect(resolveTrainingConfig('quick', { iterations: 50 }, 'm0003').iterations).toBe(50);
    const restart = resolveTrainingConfig(
      'quick',
      { continuation: { iterationsFraction: 0.5, learningRate: 'initial', rampUp: 'restart' } },
      'm0003',
    );
    expect(restart.iterations).toBe(150);
    expect(restart.learningRate).toBe(0.01);
    expect(resolveTrainingConfig('quick').continueFrom).toBeNull();
    // Ψ: 1 from the first step when continuing, the ramp's start otherwise.
    const continued = createTrainerState({
      ...resolveTrainingConfig('tiny', {}, 'm0001'),
      backend: 'cpu',
    });
    const scratch = createTrainerState(resolveTrainingConfig('tiny'));
    const batch = syntheticBatch(continued.config);
    expect((await trainStep(continued, batch)).losses.rampWeight).toBe(1);
    expect((await trainStep(scratch, batch)).losses.rampWeight).toBeLessThan(0.1);
    disposeTrainerState(continued);
    disposeTrainerState(scratch);
  });
});
