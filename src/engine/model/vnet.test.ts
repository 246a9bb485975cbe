// Unit tests (Node, cpu backend) for the V-Net forward pass: shapes, input checks, dropout and
// BatchNorm modes, memory stability over repeated training steps, finite gradients everywhere,
// and a few SGD steps that must reduce a loss. Tiny sizes keep the file to a few seconds.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';
import { VNET_PRESETS, type VNetConfig } from './config';
import { copyParams, disposeParams, getVar, initParams, trainableVariables } from './params';
import { forward, type ForwardResult } from './vnet';

const config: VNetConfig = { ...VNET_PRESETS.tiny, depth: 2 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function disposeResult(r: ForwardResult): void {
  tf.dispose([r.logits, r.bottleneck, r.features, ...(r.sdm ? [r.sdm] : [])]);
}

function input(shape: [number, number, number, number, number], seed: number): tf.Tensor5D {
  return tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor5D;
}

const eval_ = { training: false, dropout: false, bnMode: 'moving' } as const;
const train = { training: true, dropout: true, bnMode: 'batch' } as const;

describe('forward', () => {
  const params = initParams(VNET_PRESETS.tiny, 1);
  afterAll(() => disposeParams(params));

  it('returns logits, SDM, bottleneck and last features with the documented shapes', () => {
    const x = input([2, 16, 8, 24, 1], 1);
    const r = forward(params, x, eval_);
    expect(r.logits.shape).toEqual([2, 16, 8, 24, 2]);
    expect(r.sdm!.shape).toEqual([2, 16, 8, 24, 1]);
    expect(r.bottleneck.shape).toEqual([2, 2, 1, 3, 32]);
    expect(r.features.shape).toEqual([2, 16, 8, 24, 4]);
    const sdm = r.sdm!.dataSync();
    expect(sdm.every((v) => v > -1 && v < 1)).toBe(true);
    disposeResult(r);
    x.dispose();
  });

  it('omits the SDM head when the config has none', () => {
    const p = initParams({ ...config, sdmHead: false }, 1);
    const x = input([1, 8, 8, 8, 1], 1);
    const r = forward(p, x, eval_);
    expect(r.sdm).toBeNull();
    disposeResult(r);
    x.dispose();
    disposeParams(p);
  });

  it('rejects wrong channels and patch sizes the stages cannot halve', () => {
    const wrongChannels = tf.zeros([1, 16, 16, 16, 2]) as tf.Tensor5D;
    const wrongSize = tf.zeros([1, 16, 12, 16, 1]) as tf.Tensor5D;
    expect(() => forward(params, wrongChannels, eval_)).toThrow(/\[N, D, H, W, 1\]/);
    expect(() => forward(params, wrongSize, eval_)).toThrow(/multiple of 8/);
    tf.dispose([wrongChannels, wrongSize]);
  });

  it('is deterministic without dropout; dropout masks follow the rng seed', () => {
    const x = input([2, 8, 8, 8, 1], 2);
    const logits = (opts: Parameters<typeof forward>[2]) => {
      const r = forward(params, x, opts);
      const data = Array.from(r.logits.dataSync());
      disposeResult(r);
      return data;
    };
    const teacher = { training: false, dropout: true, bnMode: 'batch' } as const;
    expect(logits(eval_)).toEqual(logits(eval_));
    expect(logits({ ...teacher, rng: createRng(3) })).toEqual(
      logits({ ...teacher, rng: createRng(3) }),
    );
    expect(logits({ ...teacher, rng: createRng(3) })).not.toEqual(
      logits({ ...teacher, rng: createRng(4) }),
    );
    expect(logits({ ...teacher, dropout: false })).not.toEqual(
      logits({ ...teacher, rng: createRng(3) }),
    );
    x.dispose();
  });

  it('updates BN moving statistics only when training with batch statistics', () => {
    const p = initParams(config, 2);
    const key = 'enc1.conv0.bn.movingMean';
    const x = input([2, 8, 8, 8, 1], 3);
    const read = () => Array.from(getVar(p, key).dataSync());
    const start = read();
    disposeResult(forward(p, x, { training: false, dropout: true, bnMode: 'batch' }));
    disposeResult(forward(p, x, { training: true, dropout: false, bnMode: 'moving' }));
    expect(read()).toEqual(start);
    disposeResult(forward(p, x, { training: true, dropout: false, bnMode: 'batch' }));
    expect(read()).not.toEqual(start);
    x.dispose();
    disposeParams(p);
  });
});

describe('training steps', () => {
  it('keeps the tensor count constant and every gradient finite and non-zero', () => {
    const student = initParams(config, 4);
    const teacher = copyParams(student, { trainable: false });
    const vars = trainableVariables(student);
    const x = input([2, 8, 8, 8, 1], 5);
    const counts: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { value, grads } = tf.variableGrads(() => {
        const s = forward(student, x, train);
        const t = forward(teacher, x, { ...train, training: false });
        const consistency = tf.mean(tf.square(tf.sub(tf.softmax(s.logits), tf.softmax(t.logits))));
        return tf.add(
          tf.mean(tf.square(s.logits)),
          tf.add(tf.mean(s.sdm!), consistency),
        ) as tf.Scalar;
      }, vars);
      if (step === 0) {
        expect(Object.keys(grads).length).toBe(vars.length);
        for (const v of vars) {
          const g = grads[v.name].dataSync();
          expect(g.every(Number.isFinite), v.name).toBe(true);
          // Conv biases before batch-statistics BN have a zero gradient by construction.
          if (!(v.name.endsWith('.bias') && !v.name.includes('head.'))) {
            expect(
              g.some((e) => e !== 0),
              v.name,
            ).toBe(true);
          }
        }
      }
      tf.dispose([value, ...Object.values(grads)]);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    x.dispose();
    disposeParams(student);
    disposeParams(teacher);
  });

  it('reduces a segmentation loss on a toy batch with plain SGD', () => {
    const params = initParams(config, 6);
    const optimizer = tf.train.momentum(0.05, 0.9);
    // A bright cube on noise; the target is the cube.
    const [x, target] = tf.tidy(() => {
      const cube = tf.pad(tf.ones([2, 4, 4, 4, 1]), [
        [0, 0],
        [2, 2],
        [2, 2],
        [2, 2],
        [0, 0],
      ]);
      const img = tf.add(cube, tf.randomNormal(cube.shape, 0, 0.3, 'float32', 7)) as tf.Tensor5D;
      return [img, tf.concat([tf.sub(1, cube), cube], 4)];
    });
    const loss = () =>
      tf.tidy(() => {
        const r = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
        return tf.losses.softmaxCrossEntropy(target, r.logits) as tf.Scalar;
      });
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const l = optimizer.minimize(loss, true, trainableVariables(params))!;
      losses.push(l.dataSync()[0]);
      l.dispose();
    }
    expect(losses[losses.length - 1]).toBeLessThan(0.8 * losses[0]);
    optimizer.dispose();
    tf.dispose([x, target]);
    disposeParams(params);
  });
});
