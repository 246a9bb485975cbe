// Unit tests (Node, TF.js cpu) for the supervised losses: hand-computed values, class handling,
// label formats, weighting and finite gradients.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyLoss, diceLoss, sdmLoss, supervisedLoss } from './segmentation';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Tensor) => t.dataSync()[0];

describe('diceLoss', () => {
  // 1 batch item, 4 voxels, 2 classes, channels-last.
  const probs = () => tf.tensor([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7], [1, 4, 2]);
  const oneHot = () => tf.tensor([1, 0, 0, 1, 0, 1, 1, 0], [1, 4, 2]);

  it('uses class 1 only for binary problems, as UA-MT', () => {
    // class 1: Σpg = 0.8 + 0.4 = 1.2, Σp² = 0.01 + 0.64 + 0.16 + 0.49 = 1.3, Σg² = 2
    const want = 1 - (2 * 1.2 + 1e-5) / (1.3 + 2 + 1e-5);
    expect(value(diceLoss(probs(), oneHot()))).toBeCloseTo(want, 6);
  });

  it('averages all classes when foregroundOnly is false', () => {
    const p = tf.tensor([0.5, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7], [1, 4, 2]);
    // class 0: Σpg = 0.5 + 0.3, Σp² = 0.25 + 0.04 + 0.36 + 0.09, Σg² = 2; class 1 as above
    const class0 = 1 - (2 * 0.8 + 1e-5) / (0.74 + 2 + 1e-5);
    const class1 = 1 - (2 * 1.2 + 1e-5) / (1.3 + 2 + 1e-5);
    expect(value(diceLoss(p, oneHot(), { foregroundOnly: false }))).toBeCloseTo(
      (class0 + class1) / 2,
      6,
    );
    expect(value(diceLoss(p, oneHot()))).toBeCloseTo(class1, 6);
  });

  it('pools voxels of all batch items before dividing, and averages foreground classes', () => {
    const p = tf.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0], [2, 2, 3]);
    const g = tf.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [2, 2, 3]);
    // class 1: Σpg = 1, Σp² = 2, Σg² = 1 → 1 − 2/3; class 2: Σpg = 1, Σp² = 1, Σg² = 1 → 0
    const want = (1 - (2 + 1e-5) / (3 + 1e-5) + (1 - (2 + 1e-5) / (2 + 1e-5))) / 2;
    expect(value(diceLoss(p, g))).toBeCloseTo(want, 6);
  });

  it('is 0 for a perfect prediction and finite with gradients on empty inputs', () => {
    expect(value(diceLoss(oneHot(), oneHot()))).toBeCloseTo(0, 6);
    const zeros = tf.zeros([1, 2, 2, 2, 2]);
    expect(value(diceLoss(zeros, zeros))).toBeCloseTo(0, 6);
    const grad = tf.grad((p: tf.Tensor) => diceLoss(p, zeros))(zeros);
    expect(grad.dataSync().every(Number.isFinite)).toBe(true);
  });

  it('respects a custom smooth and rejects mismatched shapes', () => {
    const p = tf.tensor([0, 1], [1, 1, 2]);
    const g = tf.tensor([1, 0], [1, 1, 2]);
    expect(value(diceLoss(p, g, { smooth: 1 }))).toBeCloseTo(1 - 1 / 2, 6);
    expect(() => diceLoss(p, tf.zeros([1, 2, 2]))).toThrow(/shapes/);
  });
});

describe('crossEntropyLoss', () => {
  it('is the mean of −log softmax at the true class, for one-hot or index labels', () => {
    const logits = tf.tensor([2, 0, -1, 0.5, 1, 3], [1, 2, 3]);
    const lse = (a: number[]) => Math.log(a.reduce((s, x) => s + Math.exp(x), 0));
    const want = (lse([2, 0, -1]) - 2 + (lse([0.5, 1, 3]) - 3)) / 2;
    const oneHot = tf.tensor([1, 0, 0, 0, 0, 1], [1, 2, 3]);
    expect(value(crossEntropyLoss(logits, oneHot))).toBeCloseTo(want, 5);
    expect(value(crossEntropyLoss(logits, tf.tensor([0, 2], [1, 2], 'int32')))).toBeCloseTo(
      want,
      5,
    );
  });

  it('stays finite for extreme logits', () => {
    const logits = tf.tensor([1000, -1000], [1, 1, 2]);
    const g = tf.tensor([0, 1], [1, 1, 2]);
    expect(value(crossEntropyLoss(logits, g))).toBeCloseTo(2000, 0);
    const grad = tf.grad((x: tf.Tensor) => crossEntropyLoss(x, g))(logits);
    expect(grad.dataSync().every(Number.isFinite)).toBe(true);
  });
});

describe('sdmLoss and supervisedLoss', () => {
  it('sdmLoss is the element mean of squared differences', () => {
    expect(value(sdmLoss(tf.tensor([0.5, -1, 0]), tf.tensor([0, 0, 1])))).toBeCloseTo(
      (0.25 + 1 + 1) / 3,
      6,
    );
  });

  it('weights CE, Dice and SDM terms and has finite gradients', () => {
    const logits = tf.randomNormal([2, 2, 3, 3, 2], 0, 1, 'float32', 1);
    const labels = tf.randomUniform([2, 2, 3, 3], 0, 2, 'int32', 2);
    const oneHot = tf.oneHot(labels, 2).toFloat();
    const sdmPred = tf.tanh(tf.randomNormal([2, 2, 3, 3, 1], 0, 1, 'float32', 3));
    const sdmTarget = tf.randomUniform([2, 2, 3, 3, 1], -1, 1, 'float32', 4);
    const terms = supervisedLoss({ logits, oneHot, sdmPred, sdmTarget });
    const want = 0.5 * value(terms.ce) + 0.5 * value(terms.dice) + 0.1 * value(terms.sdm);
    expect(value(terms.total)).toBeCloseTo(want, 6);
    expect(value(terms.dice)).toBeCloseTo(value(diceLoss(tf.softmax(logits), oneHot)), 6);
    const custom = supervisedLoss(
      { logits, oneHot, sdmPred, sdmTarget },
      { ce: 1, dice: 0, sdm: 2 },
    );
    expect(value(custom.total)).toBeCloseTo(value(terms.ce) + 2 * value(terms.sdm), 5);

    const [gLogits, gSdm] = tf.grads(
      (l: tf.Tensor, s: tf.Tensor) =>
        supervisedLoss({ logits: l, oneHot, sdmPred: s, sdmTarget }).total,
    )([logits, sdmPred]);
    for (const g of [gLogits, gSdm]) {
      const data = g.dataSync();
      expect(data.every(Number.isFinite)).toBe(true);
      expect(data.some((x) => x !== 0)).toBe(true);
    }
  });
});
