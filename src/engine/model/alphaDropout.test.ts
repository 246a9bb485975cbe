// Unit tests (Node, TF.js cpu) for alpha dropout: PyTorch's closed-form constants, the identity
// and zero rates, keep rate, self-normalisation and gradients.

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import { ALPHA_DROPOUT_ALPHA, alphaDropout, alphaDropoutConstants } from './alphaDropout';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('alphaDropoutConstants', () => {
  it('follows a = 1/√((α²p + 1)(1 − p)), kept offset αap, dropped value αa(p − 1)', () => {
    const p = 0.1;
    const a = 1 / Math.sqrt((ALPHA_DROPOUT_ALPHA ** 2 * p + 1) * (1 - p));
    const c = alphaDropoutConstants(p);
    expect(c.scale).toBeCloseTo(a, 14);
    expect(c.keptOffset).toBeCloseTo(ALPHA_DROPOUT_ALPHA * a * p, 14);
    expect(c.droppedValue).toBeCloseTo(ALPHA_DROPOUT_ALPHA * a * (p - 1), 14);
    expect(alphaDropoutConstants(0)).toEqual({
      scale: 1,
      keptOffset: 0,
      droppedValue: -ALPHA_DROPOUT_ALPHA,
    });
  });
});

describe('alphaDropout', () => {
  it('is the identity at p = 0 or outside training, and zeros at p = 1', () => {
    const x = tf.tensor([1.5, -2, 0.25]);
    expect(Array.from(alphaDropout(x, 0, createRng(1)).dataSync())).toEqual([1.5, -2, 0.25]);
    expect(Array.from(alphaDropout(x, 0.5, createRng(1), false).dataSync())).toEqual([
      1.5, -2, 0.25,
    ]);
    expect(Array.from(alphaDropout(x, 1, createRng(1)).dataSync(), (v) => v + 0)).toEqual([
      0, 0, 0,
    ]);
    expect(() => alphaDropout(x, 1.5, createRng(1))).toThrow(/rate/);
  });

  it('maps kept units to a·x + αap and dropped ones to αa(p − 1), keeping about 1 − p', () => {
    const n = 10000;
    const p = 0.1;
    const xs = Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
    const out = alphaDropout(tf.tensor(xs), p, createRng(5)).dataSync();
    const c = alphaDropoutConstants(p);
    let dropped = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      const kept = c.scale * xs[i] + c.keptOffset;
      if (Math.abs(out[i] - c.droppedValue) < 1e-6 && Math.abs(kept - c.droppedValue) > 1e-6)
        dropped++;
      else if (Math.abs(out[i] - kept) > 1e-5) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(Math.abs(dropped / n - p)).toBeLessThan(0.01); // 3σ of the binomial
    const again = alphaDropout(tf.tensor(xs), p, createRng(5)).dataSync();
    expect(Array.from(again)).toEqual(Array.from(out));
  });

  it('keeps zero mean and unit variance of a standard normal input', () => {
    const rng = createRng(9);
    const xs = Float32Array.from({ length: 40000 }, () => rng.normal());
    const out = Array.from(alphaDropout(tf.tensor(xs), 0.1, createRng(10)).dataSync());
    const mean = out.reduce((s, x) => s + x, 0) / out.length;
    const variance = out.reduce((s, x) => s + (x - mean) ** 2, 0) / out.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeCloseTo(1, 1);
  });

  it('passes gradient a to kept units and 0 to dropped ones', () => {
    const x = tf.ones([64]);
    const g = tf
      .grad((v: tf.Tensor) => tf.sum(alphaDropout(v, 0.3, createRng(3))))(x)
      .dataSync();
    const a = alphaDropoutConstants(0.3).scale;
    expect(Array.from(g).every((v) => v === 0 || Math.abs(v - a) < 1e-6)).toBe(true);
    expect(Array.from(g).some((v) => v === 0)).toBe(true);
  });
});
