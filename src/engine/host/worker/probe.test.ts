// Unit tests (Node, cpu backend) for the speed probe: synthetic batches shaped like real ones
// with every class present, a timed run of the tiny profile, and a prompt stop on cancel.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../trainer/config';
import { createTrainerState, disposeTrainerState } from '../../trainer/state';
import { runProbe, syntheticBatch } from './probe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('speed probe', () => {
  it('builds batches of the configured size with every foreground class', () => {
    const config = resolveTrainingConfig('tiny', { labeledPerBatch: 2, unlabeledPerBatch: 3 });
    config.network = { ...config.network, numClasses: 3 };
    const batch = syntheticBatch(config);
    const voxels = 16 ** 3;
    expect(batch.labeledImages.length).toBe(2 * voxels);
    expect(batch.labels.length).toBe(2 * voxels);
    expect(batch.unlabeledImages.length).toBe(3 * voxels);
    expect(new Set(batch.labels)).toEqual(new Set([0, 1, 2]));
  });

  it('times training steps of the tiny profile without leaking tensors (nor does a trainer state), and stops on cancel', async () => {
    const config = resolveTrainingConfig('tiny', { backend: 'cpu' });
    const before = tf.memory().numTensors;
    disposeTrainerState(createTrainerState(config));
    expect(tf.memory().numTensors).toBe(before);
    const outcome = await runProbe({ config, warmupSteps: 1, timedSteps: 1 });
    expect(outcome.timedSteps).toBe(1);
    expect(outcome.secondsPerIteration).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      runProbe({ config, warmupSteps: 1, timedSteps: 1 }, aborted.signal),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
