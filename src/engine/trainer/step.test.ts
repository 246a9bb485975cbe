// One training step (Node, cpu backend, tiny profile): every loss term finite and no tensor
// left behind, with L_con plain and with UA-MT's uncertainty mask (own pass or extra passes).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticBatch } from '../host/probe';
import { resolveTrainingConfig, type TrainingOverrides } from './config';
import { createTrainerState, disposeTrainerState } from './state';
import { trainStep } from './step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainStep', () => {
  const cases: [string, TrainingOverrides][] = [
    ['plain L_con', {}],
    ['masked by the teacher’s own pass', { consistencyMask: 'uncertainty', uncertaintyPasses: 0 }],
    ['masked by 2 extra teacher passes', { consistencyMask: 'uncertainty', uncertaintyPasses: 2 }],
  ];
  it.each(cases)('%s: finite terms, constant tensor count', async (_, overrides) => {
    const config = resolveTrainingConfig('tiny', {
      backend: 'cpu',
      iterations: 2,
      rampUpStepEvery: 1,
      ...overrides,
    });
    const state = createTrainerState(config);
    const batch = syntheticBatch(config);
    const first = await trainStep(state, batch);
    const count = tf.memory().numTensors;
    const second = await trainStep(state, batch);
    expect(tf.memory().numTensors).toBe(count);
    for (const step of [first, second]) {
      for (const [term, value] of Object.entries(step.losses))
        expect(Number.isFinite(value), term).toBe(true);
    }
    expect(second.losses.consistency).toBeGreaterThanOrEqual(0);
    expect(second.losses.rampWeight).toBeGreaterThan(first.losses.rampWeight);
    disposeTrainerState(state);
  });
});
