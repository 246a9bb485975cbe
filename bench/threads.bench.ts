// npm run bench:threads — ms per SimCVD training iteration on the CPU-side TF.js backends at 1
// compute thread and at every core (setComputeThreads, src/engine/kernels/cpu), the speed-up,
// and PyTorch (bench/reference/train_step_torch.py, Debian's python3-torch) at the same thread
// counts with the ratio ours / PyTorch. The machine may be shared: every iteration (and every
// PyTorch run) records the cores other processes used meanwhile (/proc/stat minus the CPU time
// of this process and of its finished children); the figure is the median of the quiet
// iterations (others < 0.2 core), or of all of them, marked busy, when none was quiet. The
// thread counts take turns step by step on one trainer, so a drifting machine biases none.
// Before each measurement it waits up to --quiet-wait seconds for the others to go quiet.
// --plain adds a row per profile and backend with the pool switched off (conv products on
// tf.matMul / gemm.ts, BatchNorm passes in JavaScript: the code before the pool) and a column
// 'vs plain'.
// Options: --profiles tiny,quick --backends wasm,cpu --threads 1,N --iterations 3 --no-torch
//          --quiet-wait 30 --plain
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '../src/engine/backend';
import { syntheticBatch } from '../src/engine/host/worker/probe';
import {
  activeComputeThreads,
  closeComputePool,
  setComputeThreads,
  takeComputePoolDiagnostic,
} from '../src/engine/kernels/cpu';
import { resolveVNetConfig } from '../src/engine/model';
import { enablePooledConv3d } from '../src/engine/kernels/conv/fastConv';
import { enablePooledBatchNorm } from '../src/engine/kernels/batchNorm/fusedBatchNorm';
import { resolveTrainingConfig, type ProfileName } from '../src/engine/trainer/config';
import { createTrainerState, disposeTrainerState } from '../src/engine/trainer/state';
import { trainStep } from '../src/engine/trainer/step';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const cores = os.availableParallelism();
const profiles = arg('profiles', 'tiny,quick').split(',') as ProfileName[];
const backends = arg('backends', 'wasm,cpu').split(',') as BackendChoice[];
const threadCounts = [...new Set(arg('threads', `1,${cores}`).split(',').map(Number))];
const iterations = Number(arg('iterations', '3'));
const withTorch = !process.argv.includes('--no-torch');
const quietWaitS = Number(arg('quiet-wait', '30'));
const withPlain = process.argv.includes('--plain');
const BUSY_CORES = 0.2;

/** CPU time of every process (from /proc/stat), of this one (all its threads) and of its
 *  finished children (cutime + cstime of /proc/self/stat). USER_HZ is 100 on Linux. */
function cpuSnapshot() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = fields.slice(1, 9).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  const total = ticks.reduce((a, b) => a + b, 0);
  const own = process.cpuUsage();
  // After the ')' that closes the command name: field 3 (state) is [0], cutime (16) is [13].
  const self = fs.readFileSync('/proc/self/stat', 'utf8');
  const after = self.slice(self.lastIndexOf(')') + 2).split(' ');
  const children = (Number(after[13]) + Number(after[14])) * 10;
  return {
    at: performance.now(),
    busyMs: (total - idle) * 10,
    ownMs: (own.user + own.system) / 1000 + children,
  };
}

type Snapshot = ReturnType<typeof cpuSnapshot>;

/** Cores' worth of CPU used between two snapshots by other processes and by this one. */
function usage(a: Snapshot, b: Snapshot) {
  const wall = b.at - a.at;
  const own = (b.ownMs - a.ownMs) / wall;
  return { others: Math.max(0, (b.busyMs - a.busyMs) / wall - own), own };
}

/** Other processes' load over `ms` while this one sleeps (before a PyTorch run). */
function backgroundLoad(ms: number): number {
  const a = cpuSnapshot();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return usage(a, cpuSnapshot()).others;
}

/** Waits (up to --quiet-wait seconds) until other processes use < BUSY_CORES for 0.5 s. */
function waitForQuiet(): void {
  const until = performance.now() + quietWaitS * 1000;
  while (backgroundLoad(500) >= BUSY_CORES && performance.now() < until);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row {
  profile: string;
  backend: string;
  threads: number;
  /** The pool switched off (the code before it), at 1 thread. */
  plain?: boolean;
  ms: number;
  others: number;
  own: number;
  quiet: number;
  torchMs?: number;
  torchOthers?: number;
  torchOwn?: number;
}

interface Sample {
  ms: number;
  others: number;
  own: number;
}

/** Median of the quiet samples (or of all, when none was quiet), with their mean loads. */
function summarize(samples: Sample[]) {
  const quiet = samples.filter((x) => x.others < BUSY_CORES);
  const used = quiet.length > 0 ? quiet : samples;
  const mean = (f: (x: Sample) => number) => used.reduce((a, x) => a + f(x), 0) / used.length;
  return {
    ms: median(used.map((x) => x.ms)),
    others: mean((x) => x.others),
    own: mean((x) => x.own),
    quiet: quiet.length,
  };
}

interface Variant {
  threads: number;
  plain: boolean;
}

function applyVariant({ threads, plain }: Variant): void {
  setComputeThreads(threads);
  enablePooledConv3d(!plain);
  enablePooledBatchNorm(!plain);
}

/**
 * One trainer, the variants taking turns step by step (1 thread, N threads, …), so that a
 * drift of the machine's speed affects them alike; one warm-up step per variant first.
 */
async function ours(profile: ProfileName, backend: BackendChoice, variants: Variant[]) {
  const config = resolveTrainingConfig(profile, { backend });
  const state = createTrainerState(config);
  const batch = syntheticBatch(config);
  for (const variant of variants) {
    applyVariant(variant);
    await trainStep(state, batch); // workers start, the arena grows, V8 compiles
  }
  const samples = variants.map((): Sample[] => []);
  for (let i = 0; i < iterations; i++) {
    for (const [v, variant] of variants.entries()) {
      applyVariant(variant);
      waitForQuiet();
      const a = cpuSnapshot();
      await trainStep(state, batch);
      const b = cpuSnapshot();
      samples[v]!.push({ ms: b.at - a.at, ...usage(a, b) });
      if (!variant.plain && activeComputeThreads() !== variant.threads) {
        console.log(`  (asked for ${variant.threads} threads, ran ${activeComputeThreads()})`);
      }
    }
  }
  applyVariant({ threads: 1, plain: false });
  disposeTrainerState(state);
  return samples.map(summarize);
}

/** PyTorch's ms per iteration, the quietest of up to 3 runs (stopping at a quiet one). */
function torch(profile: ProfileName, threads: number): ReturnType<typeof summarize> | string {
  const runs: Sample[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const run = torchRun(profile, threads);
    if (typeof run === 'string') return run;
    runs.push(run);
    if (run.others < BUSY_CORES) return summarize([run]);
  }
  return summarize([runs.reduce((a, b) => (b.others < a.others ? b : a))]);
}

function torchRun(profile: ProfileName, threads: number): Sample | string {
  const config = resolveTrainingConfig(profile, { backend: 'cpu' });
  const spec = {
    network: resolveVNetConfig(config.network),
    patchSize: config.patchSize,
    labeled: config.labeledPerBatch,
    unlabeled: config.unlabeledPerBatch,
    iterations,
    device: 'cpu',
    threads,
  };
  waitForQuiet();
  const a = cpuSnapshot();
  try {
    const out = execFileSync(
      process.env.SIMCVD_PYTHON ?? '/usr/bin/python3',
      [path.join(here, 'reference/train_step_torch.py'), JSON.stringify(spec)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as {
      msPerIteration?: number;
      unavailable?: string;
    };
    // The load over the whole run (start-up and warm-up included) against the child's own CPU.
    return result.unavailable ?? { ms: result.msPerIteration!, ...usage(a, cpuSnapshot()) };
  } catch (error) {
    return (error as Error).message.split('\n')[0]!;
  }
}

const rows: Row[] = [];
const torchCache = new Map<string, ReturnType<typeof torch>>();
for (const backend of backends) {
  const info = await initBackend(backend);
  tf.enableProdMode();
  console.log(`backend: ${info.name} — ${info.reason}`);
  for (const profile of profiles) {
    const variants: Variant[] = [
      ...(withPlain ? [{ threads: 1, plain: true }] : []),
      ...threadCounts.map((threads) => ({ threads, plain: false })),
    ];
    const measured = await ours(profile, info.name, variants);
    for (const [v, { threads, plain }] of variants.entries()) {
      const result = measured[v]!;
      const key = `${profile}/${threads}`;
      if (withTorch && !plain && !torchCache.has(key)) torchCache.set(key, torch(profile, threads));
      const reference = plain ? undefined : torchCache.get(key);
      rows.push({
        ...{ profile, backend: info.name, threads, plain, ...result },
        ...(typeof reference === 'object'
          ? { torchMs: reference.ms, torchOthers: reference.others, torchOwn: reference.own }
          : {}),
      });
      const torchText =
        typeof reference === 'object'
          ? `${reference.ms.toFixed(0)} ms/it, others ${reference.others.toFixed(2)}`
          : (reference ?? 'skipped');
      console.log(
        `  ${profile} ${plain ? 'without the pool' : `${threads} thread(s)`}: ` +
          `${result.ms.toFixed(0)} ms/it, others ${result.others.toFixed(2)}; PyTorch ${torchText}`,
      );
    }
  }
}
const diagnostic = takeComputePoolDiagnostic();
if (diagnostic) console.log(diagnostic);
await closeComputePool();

const mark = (others: number | undefined) =>
  others === undefined ? '-' : `${others.toFixed(2)}${others > BUSY_CORES ? ' busy' : ''}`;
const header = [
  ...['profile', 'backend', 'threads', 'ms/it', 'speed-up', 'vs plain', 'quiet its'],
  ...['own CPU', 'others'],
  ...['PyTorch ms/it', 'torch CPU', 'torch others', 'ours/PyTorch'],
];
const table = rows.map((r) => {
  const same = (s: Row) => s.profile === r.profile && s.backend === r.backend;
  const single = rows.find((s) => same(s) && s.threads === 1 && !s.plain);
  const plain = rows.find((s) => same(s) && s.plain);
  return [
    ...[r.profile, r.backend, r.plain ? 'no pool' : String(r.threads), r.ms.toFixed(0)],
    single && !r.plain ? `${(single.ms / r.ms).toFixed(2)}×` : '-',
    plain && !r.plain ? `${(plain.ms / r.ms).toFixed(2)}×` : '-',
    `${r.quiet}/${iterations}`,
    `${r.own.toFixed(2)} cores`,
    mark(r.others),
    r.torchMs === undefined ? '-' : r.torchMs.toFixed(0),
    r.torchOwn === undefined ? '-' : `${r.torchOwn.toFixed(2)} cores`,
    mark(r.torchOthers),
    r.torchMs === undefined ? '-' : (r.ms / r.torchMs).toFixed(2),
  ];
});
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c]!.length)));
console.log();
for (const r of [header, ...table])
  console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(
  `(median of the quiet iterations of ${iterations}, after one warm-up; ${cores} cores ` +
    `available; 'own CPU' / 'torch CPU' = cores the run itself used, 'others' = cores other ` +
    `processes used meanwhile; busy > ${BUSY_CORES})`,
);
for (const profile of profiles) {
  for (const threads of threadCounts) {
    const at = (backend: string) =>
      rows.find(
        (r) => r.profile === profile && r.backend === backend && r.threads === threads && !r.plain,
      );
    const [wasm, cpu] = [at('wasm'), at('cpu')];
    if (wasm && cpu) {
      console.log(
        `${profile}, ${threads} thread(s): cpu + pool ${cpu.ms.toFixed(0)} ms vs wasm + pool ` +
          `${wasm.ms.toFixed(0)} ms (cpu/wasm ${(cpu.ms / wasm.ms).toFixed(2)})`,
      );
    }
  }
}
