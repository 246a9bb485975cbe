// npm run bench:threads — ms per SimCVD training iteration on the CPU-side TF.js backends at 1
// compute thread and at every core (setComputeThreads, src/engine/kernels/cpu), the speed-up,
// and PyTorch (bench/reference/train_step_torch.py, Debian's python3-torch) at the same thread
// counts with the ratio ours / PyTorch. The machine may be shared: each measurement reports the
// cores other processes used meanwhile (/proc/stat minus this process's own CPU time), and a
// figure taken while they used more than 0.2 core is marked busy.
// Before each measurement it waits up to --quiet-wait seconds for the others to go quiet.
// Options: --profiles tiny,quick --backends wasm,cpu --threads 1,N --iterations 3 --no-torch
//          --quiet-wait 30
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendChoice } from '../src/engine/backend';
import { syntheticBatch } from '../src/engine/host/probe';
import {
  activeComputeThreads,
  closeComputePool,
  setComputeThreads,
  takeComputePoolDiagnostic,
} from '../src/engine/kernels/cpu';
import { resolveVNetConfig } from '../src/engine/model';
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
const BUSY_CORES = 0.2;

/** CPU time of every process (from /proc/stat) and of this one (all its threads). */
function cpuSnapshot() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = fields.slice(1, 9).map(Number);
  const idle = ticks[3]! + ticks[4]!;
  const total = ticks.reduce((a, b) => a + b, 0);
  const own = process.cpuUsage();
  // USER_HZ is 100 on Linux.
  return {
    at: performance.now(),
    busyMs: (total - idle) * 10,
    ownMs: (own.user + own.system) / 1000,
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
  ms: number;
  others: number;
  own: number;
  torchMs?: number;
  torchOthers?: number;
}

async function ours(profile: ProfileName, backend: BackendChoice, threads: number) {
  setComputeThreads(threads);
  const config = resolveTrainingConfig(profile, { backend });
  const state = createTrainerState(config);
  const batch = syntheticBatch(config);
  await trainStep(state, batch); // warm-up: workers start, the arena grows, V8 compiles
  waitForQuiet();
  const times: number[] = [];
  const a = cpuSnapshot();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await trainStep(state, batch);
    times.push(performance.now() - t0);
  }
  const load = usage(a, cpuSnapshot());
  disposeTrainerState(state);
  if (activeComputeThreads() !== threads) {
    console.log(`  (asked for ${threads} threads, ran ${activeComputeThreads()})`);
  }
  return { ms: median(times), ...load };
}

function torch(profile: ProfileName, threads: number): { ms: number; others: number } | string {
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
  const others = backgroundLoad(500);
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
    return result.unavailable ?? { ms: result.msPerIteration!, others };
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
    for (const threads of threadCounts) {
      const measured = await ours(profile, info.name, threads);
      const key = `${profile}/${threads}`;
      if (withTorch && !torchCache.has(key)) torchCache.set(key, torch(profile, threads));
      const reference = torchCache.get(key);
      rows.push({
        ...{ profile, backend: info.name, threads, ...measured },
        ...(typeof reference === 'object'
          ? { torchMs: reference.ms, torchOthers: reference.others }
          : {}),
      });
      console.log(`  ${profile} ${threads} thread(s): ${measured.ms.toFixed(0)} ms/it`);
    }
  }
}
const diagnostic = takeComputePoolDiagnostic();
if (diagnostic) console.log(diagnostic);
await closeComputePool();

const mark = (others: number | undefined) =>
  others === undefined ? '-' : `${others.toFixed(2)}${others > BUSY_CORES ? ' busy' : ''}`;
const header = [
  ...['profile', 'backend', 'threads', 'ms/it', 'speed-up', 'own CPU', 'others'],
  ...['PyTorch ms/it', 'torch others', 'ours/PyTorch'],
];
const table = rows.map((r) => {
  const single = rows.find(
    (s) => s.profile === r.profile && s.backend === r.backend && s.threads === 1,
  );
  return [
    ...[r.profile, r.backend, String(r.threads), r.ms.toFixed(0)],
    single ? `${(single.ms / r.ms).toFixed(2)}×` : '-',
    `${r.own.toFixed(2)} cores`,
    mark(r.others),
    r.torchMs === undefined ? '-' : r.torchMs.toFixed(0),
    mark(r.torchOthers),
    r.torchMs === undefined ? '-' : (r.ms / r.torchMs).toFixed(2),
  ];
});
const widths = header.map((h, c) => Math.max(h.length, ...table.map((r) => r[c]!.length)));
console.log();
for (const r of [header, ...table])
  console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
console.log(
  `(median of ${iterations} iterations after one warm-up; ${cores} cores available; 'others' = ` +
    `cores used by other processes during our run, or in the 0.5 s before PyTorch's; busy > ${BUSY_CORES})`,
);
for (const profile of profiles) {
  for (const threads of threadCounts) {
    const at = (backend: string) =>
      rows.find((r) => r.profile === profile && r.backend === backend && r.threads === threads);
    const [wasm, cpu] = [at('wasm'), at('cpu')];
    if (wasm && cpu) {
      console.log(
        `${profile}, ${threads} thread(s): cpu + pool ${cpu.ms.toFixed(0)} ms vs wasm + pool ` +
          `${wasm.ms.toFixed(0)} ms (cpu/wasm ${(cpu.ms / wasm.ms).toFixed(2)})`,
      );
    }
  }
}
