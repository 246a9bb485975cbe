// Unit tests (Node, TF.js cpu) for the SimCVD loss combiner: weights, ramp, supervised-only mode,
// reported terms and gradient flow.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupervisedLossTerms } from './segmentation';
import { DEFAULT_SIMCVD_LOSS_WEIGHTS, disposeLoss, readLossTerms, totalLoss } from './total';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function supervised(ce: number, dice: number, sdm: number): SupervisedLossTerms {
  return {
    total: tf.scalar(0.5 * ce + 0.5 * dice + 0.1 * sdm),
    ce: tf.scalar(ce),
    dice: tf.scalar(dice),
    sdm: tf.scalar(sdm),
  };
}

describe('totalLoss', () => {
  it('has the paper weights as defaults', () => {
    expect(DEFAULT_SIMCVD_LOSS_WEIGHTS).toEqual({
      ce: 0.5,
      dice: 0.5,
      sdm: 0.1,
      contrast: 0.5,
      pairwiseDistillation: 0.1,
      consistency: 0.1,
    });
  });

  it('computes L_sup + Ψ(λ·L_contrast + β·L_pd + γ·L_con) and reports every term', async () => {
    const loss = totalLoss(
      {
        supervised: supervised(0.7, 0.4, 0.2),
        contrastive: tf.scalar(3),
        pairwiseDistillation: tf.scalar(500),
        consistency: tf.scalar(0.05),
      },
      { rampWeight: 0.25 },
    );
    const r = await readLossTerms(loss);
    const sup = 0.5 * 0.7 + 0.5 * 0.4 + 0.1 * 0.2;
    expect(r.total).toBeCloseTo(sup + 0.25 * (0.5 * 3 + 0.1 * 500 + 0.1 * 0.05), 4);
    expect(r).toMatchObject({ rampWeight: 0.25 });
    expect(r.supervised).toBeCloseTo(sup, 6);
    expect(r.pairwiseDistillation).toBe(500);
    disposeLoss(loss);
  });

  it('honours custom weights', async () => {
    const loss = totalLoss(
      {
        supervised: supervised(1, 1, 1),
        contrastive: tf.scalar(1),
        pairwiseDistillation: tf.scalar(1),
        consistency: tf.scalar(1),
      },
      { rampWeight: 1, weights: { contrast: 0, pairwiseDistillation: 2 } },
    );
    expect((await readLossTerms(loss)).total).toBeCloseTo(1.1 + 2 + 0.1, 5);
  });

  it('ignores and zeroes unlabeled terms when supervisedOnly, and requires them otherwise', async () => {
    const only = totalLoss(
      { supervised: supervised(1, 2, 3) },
      { rampWeight: 1, supervisedOnly: true },
    );
    const r = await readLossTerms(only);
    expect(r.total).toBeCloseTo(0.5 + 1 + 0.3, 5);
    expect([r.contrastive, r.pairwiseDistillation, r.consistency]).toEqual([0, 0, 0]);
    const ignoring = totalLoss(
      { supervised: supervised(1, 2, 3), consistency: tf.scalar(100) },
      { rampWeight: 1, supervisedOnly: true },
    );
    expect((await readLossTerms(ignoring)).total).toBeCloseTo(1.8, 5);
    expect(() => totalLoss({ supervised: supervised(1, 1, 1) }, { rampWeight: 1 })).toThrow(
      /supervisedOnly/,
    );
    expect(() =>
      totalLoss(
        { supervised: supervised(1, 1, 1) },
        { rampWeight: 1, supervisedOnly: true, weights: { dice: -1 } },
      ),
    ).toThrow(/dice=-1/);
  });

  it('lets gradients flow through every weighted term', () => {
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const sq = (x: tf.Tensor) => tf.sum(tf.square(x)) as tf.Scalar;
      return totalLoss(
        {
          supervised: { total: sq(a), ce: sq(a), dice: sq(a), sdm: sq(a) },
          contrastive: sq(b),
          pairwiseDistillation: sq(c),
          consistency: sq(c),
        },
        { rampWeight: 0.5 },
      ).total;
    })([tf.scalar(1), tf.scalar(1), tf.scalar(1)]);
    const [ga, gb, gc] = grads.map((g) => g.dataSync()[0]);
    expect(ga).toBeCloseTo(2, 6);
    expect(gb).toBeCloseTo(0.5 * 0.5 * 2, 6);
    expect(gc).toBeCloseTo(0.5 * (0.1 + 0.1) * 2, 6);
  });
});
