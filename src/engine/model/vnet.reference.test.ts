// Reference test (Node, cpu backend): the TF.js V-Net against the UA-MT/DTC V-Net in PyTorch
// (test/reference/vnet_model_torch.py, float64) with the same weights — outputs, gradients of
// every parameter, BatchNorm running statistics and the eval-mode pass.
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveVNetConfig, VNET_PRESETS, type VNetConfig } from './config';
import { countParameters, disposeParams, getVar, initParams } from './params';
import { buildParamSpecs } from './specs';
import { forward } from './vnet';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(__dirname, '../../../test/reference/vnet_model_torch.py');

function hasTorch(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

type Arrays = Record<string, { shape: number[]; data: Float32Array }>;

function writeBundle(dir: string, config: object, arrays: Arrays): void {
  const tensors: Record<string, { shape: number[]; offset: number; size: number }> = {};
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    tensors[name] = { shape: a.shape, offset, size: a.data.length };
    offset += a.data.length;
  }
  const all = new Float32Array(offset);
  for (const [name, a] of Object.entries(arrays)) all.set(a.data, tensors[name].offset);
  writeFileSync(path.join(dir, 'in.json'), JSON.stringify({ config, tensors }));
  writeFileSync(path.join(dir, 'in.bin'), new Uint8Array(all.buffer));
}

function readBundle(dir: string): Arrays {
  const { tensors } = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
  const raw = readFileSync(path.join(dir, 'out.bin'));
  const all = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const out: Arrays = {};
  for (const [name, e] of Object.entries(tensors) as [
    string,
    { shape: number[]; offset: number; size: number },
  ][]) {
    out[name] = { shape: e.shape, data: all.subarray(e.offset, e.offset + e.size) };
  }
  return out;
}

/** Largest error relative to the reference's largest magnitude. */
function relErr(actual: tf.Tensor, expected: { shape: number[]; data: Float32Array }): number {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  let maxRef = 1e-12;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected.data[i]));
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - expected.data[i]));
  }
  return maxDiff / maxRef;
}

const cases: {
  name: string;
  config: VNetConfig;
  input: [number, number, number, number, number];
}[] = [
  {
    name: 'BatchNorm, 2 input channels, 3 classes, non-cubic patch',
    config: {
      inChannels: 2,
      numClasses: 3,
      baseFilters: 4,
      depth: 3,
      dropoutRate: 0.5,
      normalization: 'batch',
      sdmHead: true,
      init: 'kaiming-normal',
    },
    input: [2, 16, 8, 24, 2],
  },
  {
    name: 'no normalisation, custom stage convs',
    config: {
      ...VNET_PRESETS.tiny,
      depth: 2,
      stageConvs: [2, 1, 2],
      decoderConvs: [1, 3],
      normalization: 'none',
      sdmHead: false,
    },
    input: [1, 8, 12, 4, 1],
  },
];

describe.skipIf(!hasTorch())('V-Net against the PyTorch reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('counts parameters exactly like PyTorch at paper width', () => {
    const config = resolveVNetConfig(VNET_PRESETS.paper);
    const torchCount = Number(
      execFileSync(PYTHON, [SCRIPT, 'count', JSON.stringify(config)], { encoding: 'utf8' }),
    );
    expect(countParameters(buildParamSpecs(config))).toBe(torchCount);
  });

  for (const c of cases) {
    it(`matches outputs, gradients and BN statistics: ${c.name}`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'vnet-ref-'));
      const params = initParams(c.config, 11);
      try {
        // Move BN away from its trivial start so γ, β and the moving stats all matter.
        tf.tidy(() => {
          params.specs.forEach((s, i) => {
            const v = getVar(params, s.key);
            if (s.role === 'gamma') v.assign(tf.randomUniform(s.shape, 0.5, 1.5, 'float32', i));
            if (s.role === 'beta' || s.role === 'movingMean')
              v.assign(tf.randomNormal(s.shape, 0, 0.5, 'float32', i));
            if (s.role === 'movingVariance')
              v.assign(tf.randomUniform(s.shape, 0.5, 2, 'float32', i));
          });
        });
        const cfg = params.config;
        const x = tf.randomNormal(c.input, 0, 1, 'float32', 1) as tf.Tensor5D;
        const spatial = c.input.slice(0, 4);
        const rLogits = tf.randomNormal([...spatial, cfg.numClasses], 0, 1, 'float32', 2);
        const rSdm = tf.randomNormal([...spatial, cfg.numClasses - 1], 0, 1, 'float32', 3);
        const arrays: Arrays = {
          input: { shape: x.shape, data: x.dataSync() as Float32Array },
          r_logits: { shape: rLogits.shape, data: rLogits.dataSync() as Float32Array },
          r_sdm: { shape: rSdm.shape, data: rSdm.dataSync() as Float32Array },
        };
        for (const s of params.specs) {
          arrays[s.key] = {
            shape: s.shape,
            data: getVar(params, s.key).dataSync() as Float32Array,
          };
        }
        writeBundle(dir, cfg, arrays);
        execFileSync(PYTHON, [SCRIPT, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        const ref = readBundle(dir);

        let outputs: ReturnType<typeof forward> | undefined;
        const trainable = params.specs.filter((s) => !s.role.startsWith('moving'));
        const { grads, value } = tf.variableGrads(() => {
          const o = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
          // variableGrads frees everything but the loss; keep the outputs for the comparison.
          outputs = {
            logits: tf.keep(o.logits),
            sdm: o.sdm && tf.keep(o.sdm),
            bottleneck: tf.keep(o.bottleneck),
            features: tf.keep(o.features),
          };
          let loss = tf.sum(tf.mul(o.logits, rLogits));
          if (o.sdm) loss = tf.add(loss, tf.sum(tf.mul(o.sdm, rSdm)));
          return loss as tf.Scalar;
        });
        const out = outputs!;
        expect(relErr(out.logits, ref.logits)).toBeLessThan(1e-4);
        expect(relErr(out.bottleneck, ref.bottleneck)).toBeLessThan(1e-4);
        expect(relErr(out.features, ref.features)).toBeLessThan(1e-4);
        if (cfg.sdmHead) expect(relErr(out.sdm!, ref.sdm)).toBeLessThan(1e-4);
        else expect(out.sdm).toBeNull();
        expect(Object.keys(grads).length).toBe(trainable.length);
        for (const s of trainable) {
          const g = grads[getVar(params, s.key).name];
          const unit = s.key.slice(0, -'.bias'.length);
          if (s.role === 'bias' && params.vars.has(`${unit}.bn.gamma`)) {
            // A conv bias in front of batch-statistics BN cancels out: its true gradient is 0
            // (PyTorch gives ~1e-17), so compare against the kernel's gradient scale instead.
            const scale = tf.tidy(() =>
              tf.max(tf.abs(grads[getVar(params, `${unit}.kernel`).name])),
            );
            const worst = tf.tidy(() => tf.max(tf.abs(g)));
            expect(worst.dataSync()[0] / scale.dataSync()[0], s.key).toBeLessThan(1e-4);
            tf.dispose([scale, worst]);
          } else {
            expect(relErr(g, ref[`grad:${s.key}`]), s.key).toBeLessThan(1e-3);
          }
        }
        for (const s of params.specs.filter((p) => p.role.startsWith('moving'))) {
          expect(relErr(getVar(params, s.key), ref[`moving:${s.key}`]), s.key).toBeLessThan(1e-5);
        }
        const evalOut = forward(params, x, { training: false, dropout: false, bnMode: 'moving' });
        expect(relErr(evalOut.logits, ref.eval_logits)).toBeLessThan(1e-4);
        tf.dispose([x, rLogits, rSdm, value, ...Object.values(grads)]);
        tf.dispose([out.logits, out.sdm, out.bottleneck, out.features].filter((t) => t != null));
        tf.dispose(
          [evalOut.logits, evalOut.sdm, evalOut.bottleneck, evalOut.features].filter(
            (t) => t != null,
          ),
        );
      } finally {
        disposeParams(params);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
