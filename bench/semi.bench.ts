// npm run bench:semi — does the unlabeled data help? On the demo dataset with 2 labeled
// studies and the rest unlabeled, trains SimCVD and the supervised-only baseline with identical
// budgets (same profile, iterations, seed; both runs in parallel, one engine process each),
// predicts the held-out imagesTs with whole-volume sliding windows and prints the Dice on
// labelsTs side by side.
// Options: --profile quick --iterations <n> --labeled 2 --studies 12 --test 8 --seed 1 --backend auto
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoDataset } from '../src/core/demo';
import { evaluateFolders } from '../src/core/metrics/folders';
import { createProject, importStudies, ProjectStore } from '../src/core/project';
import { predictFiles } from '../src/engine/host/predict';
import { trainProject } from '../src/engine/host/train';
import type { ProfileName } from '../src/engine/trainer/config';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const profile = arg('profile', 'quick') as ProfileName;
const iterations = process.argv.includes('--iterations')
  ? Number(arg('iterations', '0'))
  : undefined;
const labeled = Number(arg('labeled', '2'));
const studies = Number(arg('studies', '12'));
const test = Number(arg('test', '8'));
const seed = Number(arg('seed', '1'));
const backend = arg('backend', 'auto');

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-bench-semi-'));
const dataset = path.join(root, 'demo');
const started = Date.now();
await writeDemoDataset(dataset, { studies, test, seed });
await createProject(path.join(root, 'project'));
const store = await ProjectStore.open(path.join(root, 'project'), {
  write: true,
  purpose: 'bench:semi',
});
await importStudies(store, [dataset], { labeled });
console.log(
  `demo: ${studies} training cases (${labeled} labeled), ${test} test cases, seed ${seed}; profile ${profile}`,
);

const variants = [
  { name: 'SimCVD', supervisedOnly: false },
  { name: 'supervised only', supervisedOnly: true },
];
const runs = await Promise.all(
  variants.map(async (variant) => {
    const training = await trainProject(store, {
      profile,
      overrides: {
        supervisedOnly: variant.supervisedOnly,
        seed,
        backend: backend as never,
        ...(iterations ? { iterations } : {}),
      },
      maxHeapMiB: 6144,
    });
    let last = 0;
    training.handle.events.on('progress', (p) => {
      if (
        p.iteration - last >= Math.max(1, Math.floor(p.iterations / 10)) ||
        p.iteration === p.iterations
      ) {
        last = p.iteration;
        console.log(
          `  ${variant.name}: ${p.iteration}/${p.iterations}  loss ${p.losses.total.toFixed(3)}  ${(1 / p.iterationsPerSecond).toFixed(1)} s/it  ETA ${Math.round(p.etaSeconds)} s`,
        );
      }
    });
    training.handle.events.on('backend', (b) =>
      console.log(`  ${variant.name}: backend ${b.name}`),
    );
    const { record } = await training.model;
    const out = path.join(root, `pred-${record.id}`);
    const prediction = await predictFiles(store, path.join(dataset, 'imagesTs'), out, {
      modelId: record.id,
      backend,
    });
    const predicted = await prediction.handle.result;
    const evaluation = await evaluateFolders(out, path.join(dataset, 'labelsTs'));
    return {
      variant,
      record,
      evaluation,
      predictMs: predicted.durationMs / predicted.items.length,
    };
  }),
);
await store.close();

console.log('');
console.log('variant           iterations  train time  held-out Dice (mean)  per case');
for (const run of runs) {
  const perCase = run.evaluation.cases.map((c) => c.dice.toFixed(3)).join(' ');
  console.log(
    `${run.variant.name.padEnd(17)} ${String(run.record.iterations).padEnd(11)} ${(run.record.durationMs / 60000).toFixed(1).padStart(6)} min  ${run.evaluation.mean.dice.toFixed(4).padEnd(20)}  ${perCase}`,
  );
}
const gain = (runs[0]!.evaluation.mean.dice - runs[1]!.evaluation.mean.dice) * 100;
console.log(
  `SimCVD − supervised: ${gain >= 0 ? '+' : ''}${gain.toFixed(2)} Dice points (target ≥ +3)`,
);
console.log(
  `whole-volume prediction: ${(runs[0]!.predictMs / 1000).toFixed(1)} s per test volume; total ${((Date.now() - started) / 60000).toFixed(1)} min`,
);
await fs.rm(root, { recursive: true, force: true });
