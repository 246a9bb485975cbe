// Unit tests (pure) for the training profiles: the paper profile keeps the paper's values, the
// quick profile's schedule keeps the paper's shape at its own budget, overrides win.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIMCVD_LOSS_WEIGHTS, rampUp } from '../losses';
import { PROFILES, resolveTrainingConfig } from './config';

const psiCurve = (config: ReturnType<typeof resolveTrainingConfig>) =>
  Array.from({ length: config.iterations }, (_, it) =>
    rampUp(it, config.iterations, { stepEvery: config.rampUpStepEvery }),
  );

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
  });

  it('ramps Ψ over the whole quick run in about as many steps as the paper', () => {
    for (const iterations of [300, 600, 150]) {
      const paperSteps = new Set(psiCurve(resolveTrainingConfig('paper'))).size;
      const psi = psiCurve(resolveTrainingConfig('quick', { iterations }));
      expect(new Set(psi).size).toBeGreaterThanOrEqual(paperSteps - 5);
      expect(psi[0]).toBeCloseTo(Math.exp(-5), 6);
      // Half way, Ψ is where the paper's is half way (exp(−5/4) ≈ 0.29), within one step.
      expect(psi[Math.floor(iterations / 2)]).toBeGreaterThan(0.25);
      expect(psi[Math.floor(iterations / 2)]).toBeLessThan(0.33);
      expect(psi.at(-1)).toBeGreaterThan(0.99);
    }
  });

  it('weights the quick profile for short runs and lets overrides win', () => {
    expect(PROFILES.quick.lossWeights).toMatchObject({ consistency: 1, contrast: 0.1 });
    const custom = resolveTrainingConfig('quick', {
      rampUpStepEvery: 1,
      lossWeights: { ...DEFAULT_SIMCVD_LOSS_WEIGHTS },
    });
    expect(custom.rampUpStepEvery).toBe(1);
    expect(custom.lossWeights).toEqual(DEFAULT_SIMCVD_LOSS_WEIGHTS);
  });
});
