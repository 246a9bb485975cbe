// npm run bench:train — ms per SimCVD iteration for the chosen profiles on the chosen TF.js
// backend, side by side with the same network and batch in PyTorch (Debian's python3-torch; on
// CUDA when the backend is a GPU one and PyTorch sees a GPU), with: the ratio ours / PyTorch,
// the convolution FLOPs of one iteration and the fraction of the device's fp32 peak they reach,
// peak GPU memory (WebGPU) or live tensor memory, peak RSS, and where the time goes per kernel.
// Options: --profiles tiny,quick --iterations 3 --backend auto --peak-tflops N --no-kernels
//          --patch XxYxZ (one profile at another patch size, e.g. to find what fits)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '../src/engine/backend';
import { webGpuAdapter } from '../src/engine/backends/webgpu';
import { syntheticBatch } from '../src/engine/host/worker/probe';
import { resolveVNetConfig } from '../src/engine/model';
import { iterationFlops } from '../src/engine/model/flops';
import {
  resolveTrainingConfig,
  type ProfileName,
  type TrainingConfig,
} from '../src/engine/trainer/config';
import { createTrainerState, disposeTrainerState } from '../src/engine/trainer/state';
import { trainStep } from '../src/engine/trainer/step';
import { moduleLoader } from './gpu-kit/loader';
import { fp32PeakTflops } from './gpuPeaks';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const profiles = arg('profiles', 'tiny,quick').split(',') as ProfileName[];
const iterations = Number(arg('iterations', '3'));
const patchArg = arg('patch', '');
const backend = await initBackend(arg('backend', 'auto') as BackendChoice, {
  importModule: moduleLoader,
});
tf.enableProdMode();
const adapter = webGpuAdapter();
const onGpu = backend.name === 'webgpu' || backend.name === 'tfjs-node-gpu';
const peak = Number(arg('peak-tflops', '0')) || (adapter ? fp32PeakTflops(adapter) : undefined);
const showKernels = !process.argv.includes('--no-kernels');
console.log(`backend: ${backend.name} — ${backend.reason}`);
if (adapter?.software)
  console.log(
    'NOTE: a software adapter (the GPU is emulated on the CPU): these figures say nothing about a real GPU.',
  );

interface TorchResult {
  msPerIteration: number;
  peakRssMiB: number;
  peakGpuMiB?: number;
  threads: number;
  device: string;
}

function torchReference(config: TrainingConfig): TorchResult | string {
  const spec = {
    network: resolveVNetConfig(config.network),
    patchSize: config.patchSize,
    labeled: config.labeledPerBatch,
    unlabeled: config.unlabeledPerBatch,
    iterations,
    device: onGpu ? 'cuda' : 'cpu',
  };
  try {
    const out = execFileSync(
      process.env.SIMCVD_PYTHON ?? '/usr/bin/python3',
      [path.join(here, 'reference/train_step_torch.py'), JSON.stringify(spec)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as TorchResult & {
      unavailable?: string;
    };
    return result.unavailable ?? result;
  } catch (error) {
    return (error as Error).message.split('\n')[0]!;
  }
}

/** Kernel names with their summed time over one profiled step, slowest first. */
async function kernelTimes(
  state: ReturnType<typeof createTrainerState>,
  batch: ReturnType<typeof syntheticBatch>,
) {
  const profile = await tf.profile(async () => {
    await trainStep(state, batch);
  });
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const kernel of profile.kernels) {
    const ms = await Promise.resolve(kernel.kernelTimeMs as number | { error: string });
    const entry = totals.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof ms === 'number' ? ms : 0;
    entry.calls += 1;
    totals.set(kernel.name, entry);
  }
  return [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
}

const rows: string[][] = [];
const kernelReports: string[] = [];
for (const profile of profiles) {
  const patch = patchArg
    ? (patchArg.split(/[x×]/).map(Number) as [number, number, number])
    : undefined;
  const config = resolveTrainingConfig(profile, {
    backend: backend.name,
    ...(patch ? { patchSize: patch } : {}),
  });
  const state = createTrainerState(config);
  const batch = syntheticBatch(config);
  let peakRss = process.memoryUsage().rss;
  let peakGpu = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const memory = tf.memory() as { numBytesAllocatedInGPU?: number; numBytes: number };
    peakGpu = Math.max(peakGpu, memory.numBytesAllocatedInGPU ?? memory.numBytes);
  };
  let failure: string | undefined;
  const times: number[] = [];
  try {
    await trainStep(state, batch); // warm-up (shader compilation, first allocations)
    sample();
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await trainStep(state, batch);
      times.push(performance.now() - t0);
      sample();
    }
    if (showKernels) {
      const top = (await kernelTimes(state, batch)).slice(0, 8);
      const total = top.reduce((a, [, t]) => a + t.ms, 0);
      kernelReports.push(
        `${profile}: ${top.map(([name, t]) => `${name} ${t.ms.toFixed(0)} ms (${t.calls}×)`).join(', ')}` +
          ` — ${total.toFixed(0)} ms in the top 8`,
      );
    }
  } catch (error) {
    failure = (error as Error).message.split('\n')[0];
  }
  disposeTrainerState(state);
  const ms = times.length ? times.sort((a, b) => a - b)[Math.floor(times.length / 2)]! : NaN;
  const flops = iterationFlops(config);
  const achieved = flops / (ms / 1000) / 1e12;
  const torch = torchReference(config);
  rows.push([
    profile,
    config.patchSize.join('×'),
    `${config.labeledPerBatch}+${config.unlabeledPerBatch}`,
    failure ? `failed: ${failure}` : ms.toFixed(0),
    (flops / 1e9).toFixed(1),
    Number.isFinite(achieved) ? achieved.toFixed(3) : '-',
    peak && Number.isFinite(achieved) ? `${((achieved / peak) * 100).toFixed(1)} %` : '-',
    (peakGpu / 2 ** 20).toFixed(0),
    (peakRss / 2 ** 20).toFixed(0),
    typeof torch === 'string'
      ? `- (${torch})`
      : `${torch.msPerIteration.toFixed(0)} (${torch.device}${torch.device === 'cpu' ? `, ${torch.threads} thr` : `, ${(torch.peakGpuMiB ?? 0).toFixed(0)} MiB`})`,
    typeof torch === 'string' || !Number.isFinite(ms)
      ? '-'
      : (ms / torch.msPerIteration).toFixed(2),
  ]);
}
const header = [
  'profile',
  'patch',
  'batch',
  `ms/it (${backend.name})`,
  'GFLOP/it',
  'TFLOP/s',
  peak ? `of ${peak} TFLOP/s` : 'of peak',
  backend.name === 'webgpu' ? 'peak GPU MiB' : 'peak tensors MiB',
  'peak RSS MiB',
  'ms/it PyTorch',
  'ours/PyTorch',
];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows])
  console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(
  `(median of ${iterations} iterations after one warm-up; full SimCVD step incl. teacher, projection heads and EMA; ` +
    'FLOPs are the convolutions only, a multiply-add counting 2)',
);
if (kernelReports.length) {
  console.log('where the time goes (one profiled step, by kernel):');
  for (const line of kernelReports) console.log(`  ${line}`);
}
