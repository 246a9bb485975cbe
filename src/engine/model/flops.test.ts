// Convolution FLOPs of the V-Net (Node) against PyTorch's own modules: forward hooks on every
// Conv3d / ConvTranspose3d of the reference V-Net (test/reference/vnet_model_torch.py) count
// 2 · outputs · inputs-per-output, independently of our parameter layout.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../trainer/config';
import { resolveVNetConfig, VNET_PRESETS } from './config';
import { forwardFlops, iterationFlops } from './flops';

const REFERENCE = path.resolve(__dirname, '../../../test/reference');

function torchFlops(config: object, patch: number[]): number {
  const code = [
    'import sys, json, torch',
    `sys.path.insert(0, ${JSON.stringify(REFERENCE)})`,
    'from vnet_model_torch import VNetRef',
    'cfg, (i, j, k) = json.loads(sys.argv[1]), json.loads(sys.argv[2])',
    'model = VNetRef(cfg); total = [0]',
    'def hook(m, inp, out):',
    '    per_output = m.in_channels * m.kernel_size[0] * m.kernel_size[1] * m.kernel_size[2]',
    '    if isinstance(m, torch.nn.ConvTranspose3d):',
    '        per_output //= m.kernel_size[0] * m.kernel_size[1] * m.kernel_size[2]',
    '    total[0] += 2 * out[0].numel() * per_output',
    'for m in model.modules():',
    '    if isinstance(m, (torch.nn.Conv3d, torch.nn.ConvTranspose3d)): m.register_forward_hook(hook)',
    'model.eval(); model(torch.zeros(1, 1, k, j, i))',
    'print(total[0])',
  ].join('\n');
  return Number(
    execFileSync('/usr/bin/python3', ['-c', code, JSON.stringify(config), JSON.stringify(patch)], {
      encoding: 'utf8',
    }),
  );
}

describe('V-Net FLOPs', () => {
  for (const [name, patch] of [
    ['tiny', [16, 16, 16]],
    ['quick', [48, 48, 32]],
    ['paper', [32, 32, 16]],
  ] as const) {
    it(`${name}: our count equals PyTorch's module-by-module count`, () => {
      const config = resolveVNetConfig(VNET_PRESETS[name]);
      expect(forwardFlops(config, [...patch])).toBe(torchFlops(config, [...patch]));
    });
  }

  it('counts an iteration as the teacher forward plus the student forward and backward', () => {
    const config = resolveTrainingConfig('paper');
    const forward = forwardFlops(resolveVNetConfig(config.network), config.patchSize);
    expect(iterationFlops(config)).toBe(forward * (3 * 4 + 2));
    // The paper's step: about 1.3 TFLOP of convolutions.
    expect(iterationFlops(config) / 1e12).toBeGreaterThan(0.5);
    expect(iterationFlops({ ...config, supervisedOnly: true })).toBe(forward * 3 * 2);
  });
});
