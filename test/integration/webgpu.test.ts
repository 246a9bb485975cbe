// The WebGPU engine backend on a real WebGPU adapter (Node, dawn.node on Debian chromium's
// SwiftShader Vulkan driver: software, so tiny shapes). The checks themselves live in
// bench/gpu-kit/checks.ts, which the GPU kit runs on real GPUs too: every result compared with
// the cpu backend (vol2col convolution, reductions, V-Net gradients, a whole SimCVD step,
// sliding-window inference), a broken kernel refused, an invalid shader reported. Here also:
// 'auto' never takes a software adapter. Skips, saying why, where no adapter can be had.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPU_CHECKS } from '../../bench/gpu-kit/checks';
import { initBackend } from '../../src/engine/backend';
import { useSwiftShader } from '../helpers/webgpu';

let skip: string | null = useSwiftShader();

beforeAll(async () => {
  if (skip) return;
  try {
    const info = await initBackend('webgpu');
    expect(info.reason).toMatch(/webgpu requested: WebGPU on .*buffers ≤ \d+ MiB/);
  } catch (error) {
    skip = (error as Error).message;
  }
  if (skip) console.warn(`WebGPU tests skipped: ${skip}`);
}, 120_000);

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('WebGPU equals cpu, and fails loudly', () => {
  for (const check of GPU_CHECKS) {
    it(
      check.name,
      async (ctx) => {
        if (skip) return ctx.skip();
        await check.run();
      },
      300_000,
    );
  }

  it("'auto' never takes a software adapter, and says so", async (ctx) => {
    if (skip) return ctx.skip();
    const info = await initBackend('auto');
    expect(info.name).not.toBe('webgpu');
    expect(info.reason).toMatch(
      /Skipped webgpu: its only adapter is a software one, slower than the CPU: .*swiftshader/i,
    );
  });
});
