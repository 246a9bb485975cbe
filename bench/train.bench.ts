// npm run bench:train — ms per SimCVD iteration and peak memory for the tiny and quick profiles
// on the chosen TF.js backend, and for the same network and batch in PyTorch (Debian's
// python3-torch, CPU) when it is installed, with the ratio ours / PyTorch.
// Options: --profiles tiny,quick  --iterations 3  --backend auto
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/core/random';
import { initBackend, type BackendChoice } from '../src/engine/backend';
import { resolveVNetConfig } from '../src/engine/model';
import { resolveTrainingConfig, type ProfileName } from '../src/engine/trainer/config';
import { createTrainerState, disposeTrainerState } from '../src/engine/trainer/state';
import { trainStep } from '../src/engine/trainer/step';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const profiles = arg('profiles', 'tiny,quick').split(',') as ProfileName[];
const iterations = Number(arg('iterations', '3'));
const backend = await initBackend(arg('backend', 'auto') as BackendChoice);
tf.enableProdMode();
console.log(`backend: ${backend.name} — ${backend.reason}`);

function syntheticBatch(patch: [number, number, number], labeled: number, unlabeled: number) {
  const rng = createRng(1);
  const [x, y, z] = patch;
  const voxels = x * y * z;
  const labels = new Uint8Array(labeled * voxels);
  for (let b = 0; b < labeled; b++)
    for (let k = 0; k < z; k++)
      for (let j = 0; j < y; j++)
        for (let i = 0; i < x; i++) {
          const r =
            ((i - x / 2) / (x / 4)) ** 2 +
            ((j - y / 2) / (y / 4)) ** 2 +
            ((k - z / 2) / (z / 4)) ** 2;
          labels[b * voxels + i + x * (j + y * k)] = r < 1 ? 1 : 0;
        }
  const image = (n: number) => Float32Array.from({ length: n * voxels }, () => rng.normal());
  return {
    labeledImages: image(labeled),
    labels,
    unlabeledImages: image(unlabeled),
    labeledCount: labeled,
    unlabeledCount: unlabeled,
  };
}

function torchReference(
  profile: ProfileName,
): { msPerIteration: number; peakRssMiB: number; threads: number } | null {
  const config = resolveTrainingConfig(profile);
  const spec = {
    network: resolveVNetConfig(config.network),
    patchSize: config.patchSize,
    labeled: config.labeledPerBatch,
    unlabeled: config.unlabeledPerBatch,
    iterations,
  };
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [path.join(here, 'reference/train_step_torch.py'), JSON.stringify(spec)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } catch (error) {
    console.log(`  PyTorch reference unavailable: ${(error as Error).message.split('\n')[0]}`);
    return null;
  }
}

const rows: string[][] = [];
for (const profile of profiles) {
  const config = resolveTrainingConfig(profile, { backend: backend.name });
  const state = createTrainerState(config);
  const batch = syntheticBatch(config.patchSize, config.labeledPerBatch, config.unlabeledPerBatch);
  let peakRss = process.memoryUsage().rss;
  await trainStep(state, batch); // warm-up (kernel set-up, first allocations)
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await trainStep(state, batch);
    times.push(performance.now() - t0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  const tensorsMiB = tf.memory().numBytes / 2 ** 20;
  disposeTrainerState(state);
  const torch = torchReference(profile);
  rows.push([
    profile,
    config.patchSize.join('×'),
    `${config.labeledPerBatch}+${config.unlabeledPerBatch}`,
    ms.toFixed(0),
    (peakRss / 2 ** 20).toFixed(0),
    tensorsMiB.toFixed(0),
    torch ? `${torch.msPerIteration.toFixed(0)} (${torch.threads} thr)` : '-',
    torch ? (ms / torch.msPerIteration).toFixed(2) : '-',
  ]);
}
const header = [
  'profile',
  'patch',
  'batch',
  `ms/it (${backend.name})`,
  'peak RSS MiB',
  'live tensors MiB',
  'ms/it PyTorch CPU',
  'ours/PyTorch',
];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
for (const r of [header, ...rows])
  console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(
  `(median of ${iterations} iterations after one warm-up; full SimCVD step incl. teacher, projection heads and EMA)`,
);
