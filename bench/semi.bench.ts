// npm run bench:semi — does the unlabeled data help? On the demo dataset with 2 labeled
// studies and the rest unlabeled, trains SimCVD and the supervised-only baseline with identical
// budgets (same profile, iterations, seed; both runs in parallel, one engine process each),
// predicts the held-out imagesTs with whole-volume sliding windows and prints the Dice on
// labelsTs side by side. The `full` variant (supervised, every training study labeled) is the
// ceiling the unlabeled data can at best close the gap to.
// --round2: the next round of the loop — after round 1, the true labels of 2 more studies are
// accepted, and round 2 trains warm (continuing round 1's SimCVD model: 30 % of the budget, see
// the config's `continuation`) against cold (from scratch, the full budget), same seed; prints
// Dice and minutes of both.
// Options: --profile quick --iterations <n> --labeled 2 --studies 12 --test 20 --seed 1
//   --backend auto --variants simcvd,supervised[,full] --set key=value[,key=value] (training
//   options for every variant, e.g. --set rampUpStepEvery=8,studentNoise=false) --round2
//   --threads N --keep (leave the demo, projects and predictions in the temporary folder)
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoDataset } from '../src/core/demo';
import { evaluateFolders } from '../src/core/metrics/folders';
import { createProject, importStudies, ProjectStore, setActiveModel } from '../src/core/project';
import { readVolumeFile } from '../src/core/volume/nifti';
import { predictFiles } from '../src/engine/host/caller/predict';
import { trainProject } from '../src/engine/host/caller/train';
import { PROFILES, type ProfileName, type TrainingConfig } from '../src/engine/trainer/config';

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
// 20 held-out cases, as the LA protocol's test list: per-case Dice spreads by ±10 points.
const test = Number(arg('test', '20'));
const seed = Number(arg('seed', '1'));
const backend = arg('backend', 'auto');
const threads = process.argv.includes('--threads') ? Number(arg('threads', '1')) : undefined;
const round2 = process.argv.includes('--round2');
const VARIANTS = {
  simcvd: { name: 'SimCVD', supervisedOnly: false, labeled },
  supervised: { name: 'supervised only', supervisedOnly: true, labeled },
  full: { name: `full (${studies} labeled)`, supervisedOnly: true, labeled: studies },
};
type VariantKey = keyof typeof VARIANTS;
const variants = arg('variants', 'simcvd,supervised')
  .split(',')
  .map((key) => {
    const variant = VARIANTS[key as VariantKey];
    if (!variant) throw new Error(`--variants: unknown "${key}" (simcvd, supervised, full)`);
    return { key: key as VariantKey, ...variant };
  });
/** --set a=1,b=false,lossWeights.consistency=1: numbers and booleans as such, anything else as
 *  a string; a dotted key changes one field of the profile's object. */
const settings: Record<string, unknown> = {};
for (const pair of (process.argv.includes('--set') ? arg('set', '') : '').split(',')) {
  if (!pair) continue;
  const [key = '', raw = ''] = pair.split('=');
  const value =
    raw === 'true'
      ? true
      : raw === 'false'
        ? false
        : Number.isFinite(Number(raw))
          ? Number(raw)
          : raw;
  const [field, member] = key.split('.') as [keyof TrainingConfig, string | undefined];
  settings[field] = member
    ? { ...(PROFILES[profile][field] as object), ...(settings[field] as object), [member]: value }
    : value;
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-bench-semi-'));
const dataset = path.join(root, 'demo');
const started = Date.now();
await writeDemoDataset(dataset, { studies, test, seed });
/** One project per labeled count (the variants with the same count share it). */
const stores = new Map<number, ProjectStore>();
for (const count of new Set(variants.map((v) => v.labeled))) {
  const dir = path.join(root, `project-${count}`);
  await createProject(dir);
  const store = await ProjectStore.open(dir, { write: true, purpose: 'bench:semi' });
  await importStudies(store, [dataset], { labeled: count });
  stores.set(count, store);
}
console.log(
  `demo: ${studies} training cases (${labeled} labeled), ${test} test cases, seed ${seed}; profile ${profile}` +
    (Object.keys(settings).length ? `; set ${JSON.stringify(settings)}` : ''),
);

/** Trains one model in `store` and scores it on the held-out cases. */
async function trainAndScore(
  store: ProjectStore,
  name: string,
  overrides: Record<string, unknown>,
  from: 'scratch' | 'continue' = 'scratch',
) {
  const training = await trainProject(store, {
    profile,
    from,
    overrides: {
      ...settings,
      seed,
      backend: backend as never,
      // A continuation takes its share of the budget, as the app's default does.
      ...(iterations
        ? {
            iterations:
              from === 'scratch'
                ? iterations
                : Math.max(
                    1,
                    Math.round(iterations * PROFILES[profile].continuation.iterationsFraction),
                  ),
          }
        : {}),
      ...overrides,
    },
    maxHeapMiB: 6144,
    ...(threads ? { threads } : {}),
  });
  let last = 0;
  training.handle.events.on('progress', (p) => {
    if (
      p.iteration - last >= Math.max(1, Math.floor(p.iterations / 10)) ||
      p.iteration === p.iterations
    ) {
      last = p.iteration;
      console.log(
        `  ${name}: ${p.iteration}/${p.iterations}  loss ${p.losses.total.toFixed(3)}  ${(1 / p.iterationsPerSecond).toFixed(1)} s/it  ETA ${Math.round(p.etaSeconds)} s`,
      );
    }
  });
  training.handle.events.on('backend', (b) => console.log(`  ${name}: backend ${b.name}`));
  const { record } = await training.model;
  const out = path.join(root, `pred-${path.basename(store.root)}-${record.id}`);
  const prediction = await predictFiles(store, path.join(dataset, 'imagesTs'), out, {
    modelId: record.id,
    backend,
    ...(threads ? { threads } : {}),
  });
  const predicted = await prediction.handle.result;
  const evaluation = await evaluateFolders(out, path.join(dataset, 'labelsTs'));
  return { record, evaluation, predictMs: predicted.durationMs / predicted.items.length };
}

const runs = await Promise.all(
  variants.map(async (variant) => ({
    variant,
    ...(await trainAndScore(stores.get(variant.labeled)!, variant.name, {
      supervisedOnly: variant.supervisedOnly,
    })),
  })),
);

// Round 2: 2 more studies get their true label; warm (continue) against cold (scratch).
let second:
  | {
      warm: Awaited<ReturnType<typeof trainAndScore>>;
      cold: Awaited<ReturnType<typeof trainAndScore>>;
    }
  | undefined;
if (round2) {
  const first = runs.find((r) => r.variant.key === 'simcvd');
  if (!first) throw new Error('--round2 continues the simcvd variant; include it in --variants');
  const store = stores.get(first.variant.labeled)!;
  const next = (await store.listStudies()).filter((s) => s.currentLabel === null).slice(0, 2);
  for (const study of next)
    await store.saveLabel(
      study.id,
      await readVolumeFile(path.join(dataset, 'labelsTr', `${study.id}.nii.gz`)),
      { provenance: { kind: 'import', sourcePath: 'bench:semi round 2' }, final: true },
    );
  await setActiveModel(store, first.record.id);
  console.log(
    `round 2: accepted ${next.map((s) => s.id).join(', ')}; warm from ${first.record.id} vs cold`,
  );
  // One after the other, so each has the machine to itself and the minutes compare.
  const warm = await trainAndScore(store, 'round 2 warm', {}, 'continue');
  const cold = await trainAndScore(store, 'round 2 cold', {}, 'scratch');
  second = { warm, cold };
}
for (const store of stores.values()) await store.close();

console.log('');
console.log('variant             iterations  train time  held-out Dice (mean)  per case');
for (const run of runs) {
  const perCase = run.evaluation.cases.map((c) => c.dice.toFixed(3)).join(' ');
  console.log(
    `${run.variant.name.padEnd(19)} ${String(run.record.iterations).padEnd(11)} ${(run.record.durationMs / 60000).toFixed(1).padStart(6)} min  ${run.evaluation.mean.dice.toFixed(4).padEnd(20)}  ${perCase}`,
  );
}
const dice = (key: VariantKey) => runs.find((r) => r.variant.key === key)?.evaluation.mean.dice;
const [semi, sup, full] = [dice('simcvd'), dice('supervised'), dice('full')];
const points = (d: number) => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(2)} Dice points`;
if (semi !== undefined && sup !== undefined)
  console.log(`SimCVD − supervised: ${points(semi - sup)} (target ≥ +3)`);
if (full !== undefined && sup !== undefined) {
  console.log(`full − supervised: ${points(full - sup)} (the most unlabeled data could add)`);
  if (semi !== undefined && full > sup)
    console.log(`SimCVD closes ${(((semi - sup) / (full - sup)) * 100).toFixed(0)} % of that gap`);
}
if (second) {
  const { warm, cold } = second;
  const minutes = (r: typeof warm) => r.record.durationMs / 60000;
  console.log('');
  console.log('round 2        iterations  train time  held-out Dice');
  for (const [name, r] of [
    ['warm (cont.)', warm],
    ['cold (scratch)', cold],
  ] as const)
    console.log(
      `${name.padEnd(14)} ${String(r.record.iterations).padEnd(11)} ${minutes(r).toFixed(1).padStart(6)} min  ${r.evaluation.mean.dice.toFixed(4)}`,
    );
  console.log(
    `warm − cold: ${points(warm.evaluation.mean.dice - cold.evaluation.mean.dice)} in ${((minutes(warm) / minutes(cold)) * 100).toFixed(0)} % of cold's time (target: within 1 point in ≤ 40 %)`,
  );
}
console.log(
  `whole-volume prediction: ${(runs[0]!.predictMs / 1000).toFixed(1)} s per test volume; total ${((Date.now() - started) / 60000).toFixed(1)} min`,
);
if (process.argv.includes('--keep'))
  console.log(`kept the demo, projects and predictions in ${root}`);
else await fs.rm(root, { recursive: true, force: true });
