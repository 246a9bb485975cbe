// Unit tests (Node, cpu backend) for V-Net parameters: paper-size count, presets, seeded
// initialisation, teacher copies and the EMA update.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveVNetConfig, VNET_PRESETS, type VNetConfig } from './config';
import {
  copyParams,
  countParameters,
  disposeParams,
  emaUpdate,
  getVar,
  initParams,
  trainableVariables,
  type VNetParams,
} from './params';
import { buildParamSpecs } from './specs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const created: VNetParams[] = [];
function track(p: VNetParams): VNetParams {
  created.push(p);
  return p;
}
afterEach(() => {
  created.splice(0).forEach(disposeParams);
});

const tiny: VNetConfig = { ...VNET_PRESETS.tiny, depth: 2 };

describe('parameter layout', () => {
  it('has 9.45 M trainable parameters at paper width (±1 %)', () => {
    const count = countParameters(buildParamSpecs(resolveVNetConfig(VNET_PRESETS.paper)));
    expect(Math.abs(count - 9.45e6) / 9.45e6).toBeLessThan(0.01);
    // The exact PyTorch count of UA-MT's VNet(n_channels=1, n_classes=2, n_filters=16,
    // batchnorm) is 9,448,866; the 1-channel SDM conv adds 16 + 1.
    expect(count).toBe(9_448_866 + 17);
  });

  it('follows the paper stages by default and validates configs', () => {
    const c = resolveVNetConfig(VNET_PRESETS.paper);
    expect(c.stageConvs).toEqual([1, 2, 3, 3, 3]);
    expect(c.decoderConvs).toEqual([3, 3, 2, 1]);
    expect(c).toMatchObject({ bnMomentum: 0.1, bnEpsilon: 1e-5, init: 'pytorch-default' });
    expect(() => resolveVNetConfig({ ...VNET_PRESETS.paper, numClasses: 1 })).toThrow(/numClasses/);
    expect(() => resolveVNetConfig({ ...VNET_PRESETS.paper, stageConvs: [1, 2] })).toThrow(
      /depth \+ 1 = 5/,
    );
    expect(() => resolveVNetConfig({ ...VNET_PRESETS.paper, dropoutRate: 1 })).toThrow(
      /dropoutRate/,
    );
  });

  it('without BatchNorm has no BN entries, with more classes a wider SDM head', () => {
    const specs = buildParamSpecs(
      resolveVNetConfig({ ...VNET_PRESETS.tiny, normalization: 'none', numClasses: 4 }),
    );
    expect(specs.some((s) => s.key.includes('.bn.'))).toBe(false);
    expect(specs.find((s) => s.key === 'head.sdm.kernel')!.shape).toEqual([1, 1, 1, 4, 3]);
  });
});

describe('initParams', () => {
  it('is reproducible from the seed and differs across seeds', () => {
    const a = track(initParams(tiny, 5));
    const b = track(initParams(tiny, 5));
    const c = track(initParams(tiny, 6));
    const k = 'enc1.conv0.kernel';
    expect(getVar(a, k).dataSync()).toEqual(getVar(b, k).dataSync());
    expect(getVar(a, k).dataSync()).not.toEqual(getVar(c, k).dataSync());
  });

  it('draws PyTorch-default uniform or Kaiming-normal kernels with the right scale', () => {
    const spec = { ...VNET_PRESETS.quick, depth: 2 };
    const uniform = track(initParams(spec, 1));
    const normal = track(initParams({ ...spec, init: 'kaiming-normal' }, 1));
    const key = 'enc1.conv1.kernel'; // 3×3×3×16×16, fan-in 432
    const u = Array.from(getVar(uniform, key).dataSync());
    const bound = 1 / Math.sqrt(432);
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...u.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    const n = Array.from(getVar(normal, key).dataSync());
    const std = Math.sqrt(n.reduce((s, v) => s + v * v, 0) / n.length);
    expect(std / Math.sqrt(2 / 432)).toBeGreaterThan(0.95);
    expect(std / Math.sqrt(2 / 432)).toBeLessThan(1.05);
    // Transposed-conv fan-in follows PyTorch: out·8 = 8·8.
    const up = Array.from(getVar(uniform, 'up0.kernel').dataSync());
    expect(Math.max(...up.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(64));
    expect(getVar(uniform, 'enc0.conv0.bn.gamma').dataSync()).toEqual(new Float32Array(8).fill(1));
  });

  it('marks BN moving statistics and teacher copies as not trainable', () => {
    const s = track(initParams(tiny, 1));
    const t = track(copyParams(s, { trainable: false }));
    expect(getVar(s, 'enc0.conv0.kernel').trainable).toBe(true);
    expect(getVar(s, 'enc0.conv0.bn.movingMean').trainable).toBe(false);
    expect(trainableVariables(s).length).toBe(
      s.specs.filter((x) => !x.key.includes('moving')).length,
    );
    expect([...t.vars.values()].every((v) => !v.trainable)).toBe(true);
    expect(countParameters(s)).toBe(countParameters(t));
  });
});

describe('copyParams and emaUpdate', () => {
  it('copies are independent of later changes to the source', () => {
    const s = track(initParams(tiny, 1));
    const t = track(copyParams(s));
    const key = 'head.seg.bias';
    const before = Array.from(getVar(t, key).dataSync());
    getVar(s, key).assign(tf.fill(getVar(s, key).shape, 42));
    expect(Array.from(getVar(t, key).dataSync())).toEqual(before);
  });

  it('applies a = min(1 − 1/(step+1), decay) to weights and moving statistics', () => {
    const s = track(initParams(tiny, 1));
    const t = track(initParams(tiny, 2, { trainable: false }));
    const keys = ['enc0.conv0.kernel', 'enc0.conv0.bn.movingVariance', 'enc0.conv0.bn.movingMean'];
    getVar(s, keys[1]).assign(tf.fill(getVar(s, keys[1]).shape, 3));
    getVar(s, keys[2]).assign(tf.fill(getVar(s, keys[2]).shape, -1));
    const snap = (p: VNetParams) => keys.map((k) => Array.from(getVar(p, k).dataSync()));
    const [s0, t0] = [snap(s), snap(t)];
    expect(emaUpdate(t, s, 0.99, 0)).toBe(0); // step 0: the teacher becomes the student
    expect(snap(t)).toEqual(s0);
    getVar(t, keys[0]).assign(tf.tensor(t0[0], getVar(t, keys[0]).shape));
    const a = emaUpdate(t, s, 0.99, 1000);
    expect(a).toBe(0.99);
    const t1 = snap(t);
    t1[0].forEach((v, i) => expect(v).toBeCloseTo(0.99 * t0[0][i] + 0.01 * s0[0][i], 6));
    expect(emaUpdate(t, s, 0.999, 3)).toBeCloseTo(0.75, 12);
  });

  it("'copy' policy takes the student's moving statistics verbatim", () => {
    const s = track(initParams(tiny, 1));
    const t = track(copyParams(s, { trainable: false }));
    const key = 'enc1.conv0.bn.movingMean';
    getVar(s, key).assign(tf.fill(getVar(s, key).shape, 0.5));
    emaUpdate(t, s, 0.99, 500, { movingStats: 'copy' });
    expect(Array.from(getVar(t, key).dataSync()).every((v) => v === 0.5)).toBe(true);
  });

  it('leaks no tensors', () => {
    const s = track(initParams(tiny, 1));
    const t = track(copyParams(s, { trainable: false }));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) emaUpdate(t, s, 0.99, i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
