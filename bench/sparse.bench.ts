// npm run bench:sparse — annotate a few slices of many studies, or a few studies completely?
// On the demo dataset, at one budget of annotated slices (the slices holding the structure in
// 2 fully labeled studies), trains:
//   full2      2 studies fully labeled;
//   sparse8    8 studies × budget/8 slices;
//   sparse16   16 studies × budget/16 slices;
// each with SimCVD and supervised-only, from the demo's true labels. The sparse slices are
// spread evenly through each study's structure ('even'), or (--placement uncertain) put where
// the full2 SimCVD model of the same seed is most uncertain (its proposals' slice scores; its two
// labeled studies evenly) — the next round of the active-learning loop. Prints the held-out Dice
// per variant and seed, and the mean over seeds.
// Options: --profile quick --iterations <n> --studies 16 --test 10 --seeds 1,2,3
//   --methods simcvd,supervised --placement even[,uncertain] --variants full2,sparse8,sparse16
//   --parallel 2 (trainings at once) --backend auto --keep
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemoDataset } from '../src/core/demo';
import { evaluateFolders } from '../src/core/metrics/folders';
import {
  createProject,
  importStudies,
  listProposals,
  NO_SLICES,
  ProjectStore,
} from '../src/core/project';
import { readVolumeFile } from '../src/core/volume/nifti';
import { predictFiles, predictProject } from '../src/engine/host/caller/predict';
import { trainProject } from '../src/engine/host/caller/train';
import type { ProfileName } from '../src/engine/trainer/config';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const list = (name: string, fallback: string) => arg(name, fallback).split(',').filter(Boolean);
const profile = arg('profile', 'quick') as ProfileName;
const iterations = process.argv.includes('--iterations')
  ? Number(arg('iterations', '0'))
  : undefined;
const studies = Number(arg('studies', '16'));
const test = Number(arg('test', '10'));
const seeds = list('seeds', '1,2,3').map(Number);
const methods = list('methods', 'simcvd,supervised') as ('simcvd' | 'supervised')[];
const placements = list('placement', 'even') as ('even' | 'uncertain')[];
const variantKeys = list('variants', 'full2,sparse8,sparse16');
const parallel = Number(arg('parallel', '2'));
const backend = arg('backend', 'auto');
const SPARSE: Record<string, number> = { sparse8: 8, sparse16: 16 };

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'simcvd-bench-sparse-'));
const started = Date.now();

/** Runs jobs `parallel` at a time (each training is its own engine process). */
async function pool<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, jobs.length) }, async () => {
      while (next < jobs.length) {
        const n = next++;
        results[n] = await jobs[n]!();
      }
    }),
  );
  return results;
}

/** Axial slices of a mask holding foreground. */
function structureSlices(data: ArrayLike<number>, dims: [number, number, number]): number[] {
  const plane = dims[0] * dims[1];
  const out: number[] = [];
  for (let k = 0; k < dims[2]; k++) {
    for (let v = k * plane; v < (k + 1) * plane; v++)
      if (data[v]) {
        out.push(k);
        break;
      }
  }
  return out;
}

/** n slices evenly through [first, last]. */
function evenSlices(extent: number[], n: number): number[] {
  const [first, last] = [extent[0]!, extent.at(-1)!];
  const span = last - first + 1;
  return [
    ...new Set(Array.from({ length: n }, (_, m) => first + Math.floor(((m + 0.5) * span) / n))),
  ];
}

interface Outcome {
  seed: number;
  variant: string;
  method: string;
  placement: string;
  slices: number;
  dice: number;
  minutes: number;
}

async function trainAndScore(
  dir: string,
  dataset: string,
  label: Omit<Outcome, 'dice' | 'minutes'>,
): Promise<Outcome & { modelId: string }> {
  const store = await ProjectStore.open(dir, { write: true, purpose: 'bench:sparse' });
  try {
    const training = await trainProject(store, {
      profile,
      from: 'scratch',
      overrides: {
        supervisedOnly: label.method === 'supervised',
        seed: label.seed,
        backend: backend as never,
        ...(iterations ? { iterations } : {}),
      },
      maxHeapMiB: 6144,
    });
    const name = `${label.variant}/${label.placement}/${label.method} seed ${label.seed}`;
    let last = 0;
    training.handle.events.on('progress', (p) => {
      if (
        p.iteration - last >= Math.max(1, Math.floor(p.iterations / 5)) ||
        p.iteration === p.iterations
      ) {
        last = p.iteration;
        console.log(
          `  ${name}: ${p.iteration}/${p.iterations} (${(1 / p.iterationsPerSecond).toFixed(1)} s/it, ETA ${Math.round(p.etaSeconds)} s)`,
        );
      }
    });
    const { record } = await training.model;
    const out = path.join(dir, '..', `pred-${path.basename(dir)}`);
    const prediction = await predictFiles(store, path.join(dataset, 'imagesTs'), out, {
      modelId: record.id,
      backend,
    });
    await prediction.handle.result;
    const evaluation = await evaluateFolders(out, path.join(dataset, 'labelsTs'));
    return {
      ...label,
      dice: evaluation.mean.dice,
      minutes: record.durationMs / 60000,
      modelId: record.id,
    };
  } finally {
    await store.close();
  }
}

const outcomes: Outcome[] = [];
for (const seed of seeds) {
  const dataset = path.join(root, `demo-${seed}`);
  await writeDemoDataset(dataset, { studies, test, seed });
  const truth = async (id: string) =>
    readVolumeFile(path.join(dataset, 'labelsTr', `${id}.nii.gz`));
  const ids = Array.from({ length: studies }, (_, n) => `case_${String(n + 1).padStart(3, '0')}`);
  // The budget: slices holding the structure in the two studies full2 labels.
  const extents = new Map<string, number[]>();
  for (const id of ids) {
    const t = await truth(id);
    extents.set(id, structureSlices(t.data, t.dims));
  }
  const budget = extents.get(ids[0]!)!.length + extents.get(ids[1]!)!.length;
  console.log(
    `seed ${seed}: ${studies} training + ${test} test cases; budget ${budget} annotated slices`,
  );

  /** A project with every study unlabeled but `labels` (full, or partial slice lists). */
  async function project(name: string, labels: Map<string, number[] | 'full'>): Promise<string> {
    const dir = path.join(root, `s${seed}-${name}`);
    await createProject(dir);
    const store = await ProjectStore.open(dir, { write: true, purpose: 'bench:sparse' });
    try {
      await importStudies(store, [dataset], { labeled: 0 });
      for (const [id, slices] of labels) {
        const t = await truth(id);
        await store.saveLabel(id, t, {
          provenance: { kind: 'import', sourcePath: 'bench' },
          final: slices === 'full',
          ...(slices === 'full' ? {} : { annotatedSlices: { ...NO_SLICES, k: slices } }),
        });
      }
    } finally {
      await store.close();
    }
    return dir;
  }

  const jobs: (() => Promise<Outcome & { modelId: string }>)[] = [];
  const fullDir = await project(
    'full2',
    new Map([
      [ids[0]!, 'full'],
      [ids[1]!, 'full'],
    ]),
  );
  if (variantKeys.includes('full2') || placements.includes('uncertain'))
    for (const method of methods)
      jobs.push(() =>
        trainAndScore(
          method === 'simcvd' ? fullDir : path.join(root, `s${seed}-full2-${method}`),
          dataset,
          { seed, variant: 'full2', method, placement: 'full', slices: budget },
        ),
      );
  if (methods.includes('supervised'))
    await fs.cp(fullDir, path.join(root, `s${seed}-full2-supervised`), { recursive: true });
  const firstRound = await pool(jobs);
  outcomes.push(...firstRound.filter((o) => variantKeys.includes(o.variant)));

  // Uncertainty of the round-1 model on every training study (its two labeled ones excepted).
  const uncertain = new Map<string, number[]>();
  if (placements.includes('uncertain')) {
    const round1 = firstRound.find((o) => o.method === 'simcvd');
    if (!round1) throw new Error('--placement uncertain needs the simcvd method (its full2 model)');
    const store = await ProjectStore.open(fullDir, { write: true, purpose: 'bench:sparse' });
    try {
      const { handle } = await predictProject(store, { modelId: round1.modelId, backend });
      await handle.result;
      for (const p of await listProposals(store, round1.modelId))
        uncertain.set(p.studyId, p.sliceScores);
    } finally {
      await store.close();
    }
  }

  const sparseJobs: (() => Promise<Outcome & { modelId: string }>)[] = [];
  for (const key of variantKeys.filter((k) => SPARSE[k])) {
    const count = SPARSE[key]!;
    const perStudy = Math.max(1, Math.floor(budget / count));
    for (const placement of placements) {
      const labels = new Map<string, number[]>();
      for (const id of ids.slice(0, count)) {
        const scores = uncertain.get(id);
        labels.set(
          id,
          placement === 'uncertain' && scores
            ? scores
                .map((s, k) => [s, k] as const)
                .sort((a, b) => b[0] - a[0])
                .slice(0, perStudy)
                .map(([, k]) => k)
            : evenSlices(extents.get(id)!, perStudy),
        );
      }
      const slices = [...labels.values()].reduce((n, l) => n + l.length, 0);
      const example = labels.get(ids[2]!) ?? labels.get(ids[0]!)!;
      console.log(
        `  ${key}/${placement}: ${perStudy} slices per study, ${slices} in all (${ids[2] ?? ids[0]}: ` +
          `${[...example].sort((a, b) => a - b).join(', ')} of ${extents.get(ids[2] ?? ids[0]!)!.length} structure slices)`,
      );
      for (const method of methods) {
        const dir = await project(`${key}-${placement}-${method}`, labels);
        sparseJobs.push(() =>
          trainAndScore(dir, dataset, { seed, variant: key, method, placement, slices }),
        );
      }
    }
  }
  outcomes.push(...(await pool(sparseJobs)));
}

console.log('');
console.log('variant    placement  method      slices  Dice per seed            mean');
const groups = new Map<string, Outcome[]>();
for (const o of outcomes) {
  const key = `${o.variant}|${o.placement}|${o.method}`;
  groups.set(key, [...(groups.get(key) ?? []), o]);
}
const means = new Map<string, number>();
for (const [key, runs] of groups) {
  const [variant, placement, method] = key.split('|');
  const mean = runs.reduce((s, r) => s + r.dice, 0) / runs.length;
  means.set(key, mean);
  console.log(
    `${variant!.padEnd(10)} ${placement!.padEnd(10)} ${method!.padEnd(11)} ${String(runs[0]!.slices).padEnd(7)} ${runs
      .map((r) => r.dice.toFixed(3))
      .join(' ')
      .padEnd(24)} ${mean.toFixed(4)}`,
  );
}
const points = (d: number) => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(2)} Dice points`;
const fullSim = means.get('full2|full|simcvd');
const best = [...means.entries()]
  .filter(([k]) => k.startsWith('sparse') && k.endsWith('|simcvd'))
  .sort((a, b) => b[1] - a[1])[0];
if (best && fullSim !== undefined)
  console.log(
    `best sparse (${best[0].split('|').slice(0, 2).join(', ')}) − full2, SimCVD: ${points(best[1] - fullSim)} (target ≥ +3)`,
  );
for (const [key, mean] of means) {
  if (!key.endsWith('|simcvd')) continue;
  const sup = means.get(key.replace('|simcvd', '|supervised'));
  if (sup !== undefined)
    console.log(
      `${key.split('|').slice(0, 2).join(', ')}: SimCVD − supervised ${points(mean - sup)}`,
    );
}
console.log(
  `profile ${profile}${iterations ? `, ${iterations} iterations` : ''}; total ${((Date.now() - started) / 60000).toFixed(1)} min`,
);
if (process.argv.includes('--keep')) console.log(`kept everything in ${root}`);
else await fs.rm(root, { recursive: true, force: true });
