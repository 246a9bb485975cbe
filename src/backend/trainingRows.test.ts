// Unit tests (Node) for the app's training profiles and loss rows: each value lands in the
// LOSS_COLUMNS column of its name, "custom" is quick plus options, bad patches are
// refused before a job starts, and the speed cache key ignores what does not change speed.
import { describe, expect, it } from 'vitest';
import type { TrainingProgress } from '../engine/trainer/loop';
import { PROFILES } from '../engine/trainer/config';
import { LOSS_COLUMNS } from '../shared/contract/training';
import {
  appTrainingConfig,
  engineProfile,
  lossRowFromProgress,
  speedFingerprint,
  trainingOverrides,
  validationPointOf,
} from './trainingRows';

const progress: TrainingProgress = {
  iteration: 7,
  iterations: 10,
  losses: {
    total: 1.5,
    supervised: 0.9,
    ce: 0.6,
    dice: 0.7,
    sdm: 0.05,
    contrastive: 2.5,
    pairwiseDistillation: 0.3,
    consistency: 0.02,
    rampWeight: 0.4,
  },
  learningRate: 0.01,
  iterationsPerSecond: 2,
  etaSeconds: 1.5,
};

const expected: Record<(typeof LOSS_COLUMNS)[number], number> = {
  iteration: 7,
  total: 1.5,
  supervised: 0.9,
  ce: 0.6,
  dice: 0.7,
  sdm: 0.05,
  contrastive: 2.5,
  pairwiseDistillation: 0.3,
  consistency: 0.02,
  rampWeight: 0.4,
  learningRate: 0.01,
};

describe('loss rows', () => {
  it('puts each progress value in the LOSS_COLUMNS column of the same meaning', () => {
    expect(lossRowFromProgress(progress)).toEqual(LOSS_COLUMNS.map((c) => expected[c]));
  });

  it('reports a validation point only at iterations that validated', () => {
    expect(validationPointOf({ ...progress, validationDice: 0.8 })).toBeUndefined();
    expect(validationPointOf({ ...progress, validationDice: 0.8, validated: true })).toEqual({
      iteration: 7,
      dice: 0.8,
    });
  });
});

describe('profiles', () => {
  it('makes custom the quick profile refined by the options', () => {
    expect(engineProfile('custom')).toBe('quick');
    expect(engineProfile('paper')).toBe('paper');
    const config = appTrainingConfig('custom', { iterations: 20, supervisedOnly: true }, 'cpu', 2);
    expect(config).toMatchObject({
      profile: 'quick',
      iterations: 20,
      supervisedOnly: true,
      backend: 'cpu',
      patchSize: PROFILES.quick.patchSize,
    });
  });

  it('changes the width of the chosen profile network and sets the class count', () => {
    const overrides = trainingOverrides('tiny', { baseWidth: 6 }, 'auto');
    expect(overrides.network).toEqual({ ...PROFILES.tiny.network, baseFilters: 6 });
    const config = appTrainingConfig('tiny', { baseWidth: 6 }, 'auto', 3);
    expect(config.network).toMatchObject({ baseFilters: 6, numClasses: 3, depth: 3 });
    expect(PROFILES.tiny.network.numClasses).toBe(2);
  });

  it('refuses a patch the network cannot take, saying what to do', () => {
    expect(() => appTrainingConfig('tiny', { patchSize: [12, 12, 16] }, 'cpu', 2)).toThrow(
      /multiple of 8/,
    );
  });

  it('keys speed by network and batch, not by iterations or seed', () => {
    const a = appTrainingConfig('quick', { iterations: 10, seed: 1 }, 'cpu', 2);
    const b = appTrainingConfig('quick', { iterations: 999, seed: 5 }, 'cpu', 2);
    const c = appTrainingConfig('quick', { patchSize: [32, 32, 32] }, 'cpu', 2);
    const d = appTrainingConfig('quick', { supervisedOnly: true }, 'cpu', 2);
    expect(speedFingerprint(a)).toBe(speedFingerprint(b));
    expect(speedFingerprint(a)).not.toBe(speedFingerprint(c));
    expect(speedFingerprint(a)).not.toBe(speedFingerprint(d));
  });
});
