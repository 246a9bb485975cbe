// One training step (Node, cpu backend, tiny profile): every loss term finite and no tensor
// left behind, with L_con plain and with UA-MT's uncertainty mask (own pass or extra passes);
// the student moves by SGD's update (θ ← θ − lr·v, v the momentum buffer) and the teacher by
// the EMA of the moved student (T ← a·T + (1 − a)·θ).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticBatch } from '../host/worker/probe';
import { resolveTrainingConfig, type TrainingOverrides } from './config';
import { projectionHeadVariables, trainableVariables } from '../model';
import { createTrainerState, disposeTrainerState, optimizedVariables } from './state';
import { trainStep } from './step';

const read = (variables: tf.Variable[]) =>
  Promise.all(variables.map(async (v) => Float32Array.from(await v.data())));

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

describe('trainStep updates', () => {
  it('moves the student by SGD with momentum and the teacher by the EMA of the moved student', async () => {
    const config = resolveTrainingConfig('tiny', { backend: 'cpu', iterations: 4 });
    const state = createTrainerState(config);
    const student = optimizedVariables(state);
    const teacher = [
      ...trainableVariables(state.teacher),
      ...projectionHeadVariables(state.teacherHead),
    ];
    const studentTwin = [
      ...trainableVariables(state.student),
      ...projectionHeadVariables(state.studentHead),
    ];
    expect(teacher.length).toBe(studentTwin.length);
    const before = await read(student);
    const teacherBefore = await read(teacher);
    const step = await trainStep(state, syntheticBatch(config));
    expect(step.learningRate).toBe(config.learningRate);
    const after = await read(student);
    const momentum = state.optimizer.state();
    let moved = 0;
    for (const [index, variable] of student.entries()) {
      const v = Float32Array.from(await momentum[variable.name]!.data());
      for (let i = 0; i < v.length; i++) {
        // θ1 = θ0 − lr·v1, within float32 rounding of the subtraction.
        expect(after[index]![i]).toBeCloseTo(before[index]![i]! - step.learningRate * v[i]!, 6);
        if (v[i] !== 0) moved++;
      }
    }
    expect(moved).toBeGreaterThan(0.5 * after.reduce((n, a) => n + a.length, 0));
    // UA-MT's EMA weight min(1 − 1/(t + 1), decay), t counting from 0: the first step copies
    // the student (a = 0), the second averages (a = 1/2).
    const expectEma = async (t: number, teacherWas: Float32Array[]) => {
      const a = Math.min(1 - 1 / (t + 1), config.emaDecay);
      const teacherNow = await read(teacher);
      const studentNow = await read(studentTwin);
      teacherNow.forEach((values, index) =>
        values.forEach((value, i) =>
          expect(value).toBeCloseTo(
            a * teacherWas[index]![i]! + (1 - a) * studentNow[index]![i]!,
            6,
          ),
        ),
      );
      return teacherNow;
    };
    const teacherAfterOne = await expectEma(0, teacherBefore);
    await trainStep(state, syntheticBatch(config, 8));
    await expectEma(1, teacherAfterOne);
    disposeTrainerState(state);
  });
});
