// Unit tests (pure) for the training profiles: the paper profile keeps the paper's protocol, a
// budget other than the profile's scales its schedules, explicit options win.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIMCVD_LOSS_WEIGHTS, rampUp } from '../losses';
import { PROFILES, resolveTrainingConfig } from './config';

describe('training profiles', () => {
  it('keeps the paper protocol in the paper profile', () => {
    const paper = resolveTrainingConfig('paper');
    expect(paper.lossWeights).toEqual(DEFAULT_SIMCVD_LOSS_WEIGHTS);
    expect(paper.lossWeights).toMatchObject({
      contrast: 0.5,
      pairwiseDistillation: 0.1,
      consistency: 0.1,
      sdm: 0.1,
    });
    expect([paper.iterations, paper.rampUpStepEvery, paper.lrStepEvery]).toEqual([6000, 150, 3000]);
    expect([paper.learningRate, paper.momentum, paper.weightDecay, paper.emaDecay]).toEqual([
      0.01, 0.9, 5e-4, 0.999,
    ]);
    // L_con as SimCVD states it (no mask); UA-MT's T = 8 passes when the mask is chosen.
    expect([paper.consistencyMask, paper.uncertaintyPasses]).toEqual(['none', 8]);
  });

  it('scales the schedules with the budget, keeping the profile’s shape', () => {
    const paper = resolveTrainingConfig('paper', { iterations: 600 });
    expect([paper.rampUpStepEvery, paper.lrStepEvery]).toEqual([15, 300]);
    const psi = Array.from({ length: 600 }, (_, it) =>
      rampUp(it, 600, { stepEvery: paper.rampUpStepEvery }),
    );
    expect(new Set(psi).size).toBe(40);
    expect(psi[300]).toBeCloseTo(Math.exp(-5 / 4), 6);
    const quick = resolveTrainingConfig('quick', { iterations: 600 });
    expect(quick.rampUpStepEvery).toBe(2 * PROFILES.quick.rampUpStepEvery);
    expect(quick.lossWeights).toEqual(PROFILES.quick.lossWeights);
  });

  it('lets explicit options win over the scaled ones', () => {
    const custom = resolveTrainingConfig('quick', {
      iterations: 600,
      rampUpStepEvery: 8,
      lossWeights: { ...DEFAULT_SIMCVD_LOSS_WEIGHTS, consistency: 1 },
    });
    expect(custom.rampUpStepEvery).toBe(8);
    expect(custom.lossWeights.consistency).toBe(1);
  });
});
