// Unit tests (Node, cpu backend) for V-Net checkpoints: TF.js model.json + weights.bin layout,
// save → load → identical forward output, and clear errors for missing or damaged files.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VNET_PRESETS, type VNetConfig } from './config';
import { loadParams, MODEL_JSON, saveParams, WEIGHTS_BIN } from './io';
import { countParameters, disposeParams, getVar, initParams, type VNetParams } from './params';
import { forward } from './vnet';

const config: VNetConfig = { ...VNET_PRESETS.tiny, depth: 2, numClasses: 3 };
let dir = '';
const created: VNetParams[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  created.splice(0).forEach(disposeParams);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'vnet-io-'));
  return path.join(dir, 'ckpt');
}

async function savedModel(): Promise<{ target: string; params: VNetParams }> {
  const target = freshDir();
  const params = initParams(config, 3);
  created.push(params);
  // Non-default moving statistics must survive the round trip too.
  const x = tf.randomNormal([2, 8, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor5D;
  const r = forward(params, x, { training: true, dropout: false, bnMode: 'batch' });
  tf.dispose([x, r.logits, r.sdm!, r.bottleneck, r.features]);
  await saveParams(target, params, { iteration: 42 });
  return { target, params };
}

describe('saveParams / loadParams', () => {
  it('writes a TF.js weights manifest with our metadata', async () => {
    const { target, params } = await savedModel();
    const json = JSON.parse(readFileSync(path.join(target, MODEL_JSON), 'utf8'));
    expect(json.format).toBe('simcvd-vnet');
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_BIN]);
    expect(json.weightsManifest[0].weights.length).toBe(params.specs.length);
    expect(json.weightsManifest[0].weights[0]).toMatchObject({
      name: 'enc0.conv0.kernel',
      shape: [3, 3, 3, 1, 4],
      dtype: 'float32',
    });
    expect(json.userDefinedMetadata.simcvd).toMatchObject({
      formatVersion: 1,
      config: params.config,
      extra: { iteration: 42 },
    });
    const bytes = readFileSync(path.join(target, WEIGHTS_BIN)).length;
    const moving = params.specs.filter((s) => s.role.startsWith('moving'));
    const movingCount = moving.reduce((n, s) => n + s.shape[0], 0);
    expect(bytes).toBe(4 * (countParameters(params) + movingCount));
  });

  it('round-trips to identical values and identical forward output', async () => {
    const { target, params } = await savedModel();
    const { params: loaded, metadata } = await loadParams(target, { trainable: false });
    created.push(loaded);
    expect(metadata.extra).toEqual({ iteration: 42 });
    expect(loaded.config).toEqual(params.config);
    for (const s of params.specs) {
      expect(getVar(loaded, s.key).dataSync()).toEqual(getVar(params, s.key).dataSync());
      expect(getVar(loaded, s.key).trainable).toBe(false);
    }
    const x = tf.randomNormal([1, 8, 12, 4, 1], 0, 1, 'float32', 2) as tf.Tensor5D;
    const opts = { training: false, dropout: false, bnMode: 'moving' } as const;
    const a = forward(params, x, opts);
    const b = forward(loaded, x, opts);
    expect(b.logits.dataSync()).toEqual(a.logits.dataSync());
    expect(b.sdm!.dataSync()).toEqual(a.sdm!.dataSync());
    tf.dispose([x, a.logits, a.sdm!, a.bottleneck, a.features]);
    tf.dispose([b.logits, b.sdm!, b.bottleneck, b.features]);
  });

  it('reports a missing checkpoint as NOT_FOUND', async () => {
    await expect(loadParams(freshDir())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('detects weights that do not belong to model.json', async () => {
    const { target } = await savedModel();
    const file = path.join(target, WEIGHTS_BIN);
    const bytes = readFileSync(file);
    bytes[100] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(loadParams(target)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('rejects damaged JSON, foreign formats and newer format versions', async () => {
    const { target } = await savedModel();
    const file = path.join(target, MODEL_JSON);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, 50));
    await expect(loadParams(target)).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    writeFileSync(file, JSON.stringify({ ...JSON.parse(good), format: 'layers-model' }));
    await expect(loadParams(target)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const newer = JSON.parse(good);
    newer.userDefinedMetadata.simcvd.formatVersion = 99;
    writeFileSync(file, JSON.stringify(newer));
    await expect(loadParams(target)).rejects.toThrow(/format 99/);
  });

  it('rejects a manifest whose weights disagree with the stored config', async () => {
    const { target } = await savedModel();
    const file = path.join(target, MODEL_JSON);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const good = JSON.stringify(json);
    json.userDefinedMetadata.simcvd.config.baseFilters = 8;
    writeFileSync(file, JSON.stringify(json));
    await expect(loadParams(target)).rejects.toThrow(
      /has shape \[3,3,3,1,4\] but the config needs \[3,3,3,1,8\]/,
    );
    const fewer = JSON.parse(good);
    fewer.weightsManifest[0].weights.pop();
    writeFileSync(file, JSON.stringify(fewer));
    await expect(loadParams(target)).rejects.toThrow(/lists \d+ weights; its config needs/);
  });
});
