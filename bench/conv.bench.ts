// 3-D conv benchmark (plain Node; `npx tsx bench/conv.bench.ts [--backends wasm,cpu]
// [--runs 3] [--batch 1] [--vnet-batch 6] [--threads 1,2] [--no-baseline] [--no-convs] [--no-vnet]
// [--profile]`). Times the matMul-based conv3dFast on the compute pool at each --threads count,
// its plain products (tf.matMul / gemm.ts, as before the pool) and tf.conv3d on the
// quick-profile level shapes (forward and forward+backward), then one V-Net forward+backward at
// the quick config with depth 3 on a [6, 32, 48, 48, 1] input: conv3dFast + fused BatchNorm on
// the pool per thread count, the same with plain products and JavaScript BatchNorm passes,
// conv3dFast alone, and tf.conv3d + tf-op BatchNorm (before).
// --profile lists the kernels that dominate the routed V-Net step. Best of --runs; the tf.conv3d
// baseline runs once per shape (it takes seconds).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { VNET_PRESETS, disposeParams, forward, initParams } from '../src/engine/model';
import { closeComputePool, setComputeThreads } from '../src/engine/kernels/cpu';
import {
  conv3dFast,
  enableMatMulConv3d,
  enablePooledConv3d,
} from '../src/engine/kernels/conv/fastConv';
import {
  enableFusedBatchNorm,
  enablePooledBatchNorm,
} from '../src/engine/kernels/batchNorm/fusedBatchNorm';

interface Args {
  backends: string[];
  runs: number;
  batch: number;
  vnetBatch: number;
  threads: number[];
  baseline: boolean;
  convs: boolean;
  vnet: boolean;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  return {
    backends: value('--backends', 'wasm,cpu').split(','),
    runs: Number(value('--runs', '3')),
    batch: Number(value('--batch', '1')),
    vnetBatch: Number(value('--vnet-batch', '6')),
    threads: value('--threads', '1,2').split(',').map(Number),
    baseline: !argv.includes('--no-baseline'),
    convs: !argv.includes('--no-convs'),
    vnet: !argv.includes('--no-vnet'),
    profile: argv.includes('--profile'),
  };
}

interface ConvCase {
  name: string;
  /** [D, H, W, cin] of the input. */
  input: [number, number, number, number];
  k: number;
  cout: number;
  stride: 1 | 2;
}

// The quick profile: patch 32×48×48 (D×H×W), 8 base filters, channels double per level.
const CASES: ConvCase[] = [
  { name: 'L0 in 3³ 1→8', input: [32, 48, 48, 1], k: 3, cout: 8, stride: 1 },
  { name: 'L0 3³ 8→8', input: [32, 48, 48, 8], k: 3, cout: 8, stride: 1 },
  { name: 'L0 down 2³ 8→16', input: [32, 48, 48, 8], k: 2, cout: 16, stride: 2 },
  { name: 'L1 3³ 16→16', input: [16, 24, 24, 16], k: 3, cout: 16, stride: 1 },
  { name: 'L1 down 2³ 16→32', input: [16, 24, 24, 16], k: 2, cout: 32, stride: 2 },
  { name: 'L2 3³ 32→32', input: [8, 12, 12, 32], k: 3, cout: 32, stride: 1 },
];

function bestMs(runs: number, f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

type ConvFn = (x: tf.Tensor5D, w: tf.Tensor5D) => tf.Tensor5D;

function timeConv(c: ConvCase, batch: number, runs: number, conv: ConvFn) {
  const x = tf.randomNormal([batch, ...c.input], 0, 1, 'float32', 1) as tf.Tensor5D;
  const w = tf.randomNormal([c.k, c.k, c.k, c.input[3], c.cout], 0, 0.1, 'float32', 2);
  const y0 = conv(x, w as tf.Tensor5D);
  const r = tf.randomNormal(y0.shape, 0, 1, 'float32', 3);
  const outVoxels = y0.size / c.cout;
  y0.dispose();
  const fwdMs = bestMs(runs, () => tf.tidy(() => void conv(x, w as tf.Tensor5D).dataSync()));
  const bwdMs = bestMs(runs, () =>
    tf.tidy(() => {
      const gs = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv(a as tf.Tensor5D, b as tf.Tensor5D), r)),
      )([x, w]);
      gs.forEach((g) => g.dataSync());
    }),
  );
  tf.dispose([x, w, r]);
  const flops = 2 * outVoxels * c.k ** 3 * c.input[3] * c.cout;
  return { fwdMs, bwdMs, flops };
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(7)} ms`;
const gflops = (flops: number, ms: number) => `${(flops / ms / 1e6).toFixed(2).padStart(6)} GF/s`;

function benchConvs(args: Args): void {
  console.log(`  per conv, batch ${args.batch}: forward | forward+backward (3× the FLOPs)`);
  for (const c of CASES) {
    const ours: ConvFn = (x, w) => conv3dFast(x, w, c.stride, c.stride === 1 ? 'same' : 'valid');
    let line = `  ${c.name.padEnd(18)}`;
    for (const threads of args.threads) {
      setComputeThreads(threads);
      const fast = timeConv(c, args.batch, args.runs, ours);
      line +=
        ` pool ${threads}t ${fmt(fast.fwdMs)} ${gflops(fast.flops, fast.fwdMs)} |` +
        `${fmt(fast.bwdMs)} ${gflops(3 * fast.flops, fast.bwdMs)}`;
    }
    setComputeThreads(1);
    enablePooledConv3d(false);
    const plain = timeConv(c, args.batch, args.runs, ours);
    enablePooledConv3d(true);
    line += `   plain products ${fmt(plain.fwdMs)} |${fmt(plain.bwdMs)}`;
    if (args.baseline) {
      const base = timeConv(c, args.batch, 1, (x, w) =>
        tf.conv3d(x, w, c.stride, c.stride === 1 ? 'same' : 'valid'),
      );
      line +=
        `   tf.conv3d ${fmt(base.fwdMs)} ${gflops(base.flops, base.fwdMs)} |` +
        `${fmt(base.bwdMs)} ${gflops(3 * base.flops, base.bwdMs)}`;
    }
    console.log(line);
  }
}

function vnetStep(batch: number) {
  const params = initParams({ ...VNET_PRESETS.quick, depth: 3 }, 7);
  const x = tf.randomNormal([batch, 32, 48, 48, 1], 0, 1, 'float32', 4) as tf.Tensor5D;
  const step = () =>
    tf.tidy(() => {
      const { grads, value } = tf.variableGrads(() => {
        const o = forward(params, x, { training: true, dropout: true, bnMode: 'batch' });
        return tf.add(tf.mean(tf.square(o.logits)), tf.mean(o.sdm!)) as tf.Scalar;
      });
      Object.values(grads).forEach((g) => g.dataSync());
      value.dataSync();
    });
  return { step, dispose: () => (disposeParams(params), x.dispose()) };
}

/** Routes conv and BatchNorm to our kernels (their heavy work on the compute pool, or not)
 *  or back to plain tf ops. */
function route(conv: boolean, batchNorm: boolean, pooled = true): void {
  enableMatMulConv3d(conv);
  enableFusedBatchNorm(batchNorm);
  enablePooledConv3d(pooled);
  enablePooledBatchNorm(pooled);
}

async function benchVNet(args: Args): Promise<void> {
  const { step, dispose } = vnetStep(args.vnetBatch);
  console.log(`  V-Net quick depth 3, [${args.vnetBatch}, 32, 48, 48, 1], forward+backward:`);
  route(true, true);
  step(); // warm-up: XNNPACK operator set-up, lazy kernel registration
  let afterMs = Infinity;
  for (const threads of args.threads) {
    setComputeThreads(threads);
    step();
    const ms = bestMs(args.runs, step);
    afterMs = Math.min(afterMs, ms);
    console.log(`    matMul conv + fused BatchNorm, pool ${threads} thread(s) ${fmt(ms)}`);
  }
  setComputeThreads(1);
  route(true, true, false);
  console.log(`    matMul conv + fused BatchNorm, plain ${fmt(bestMs(args.runs, step))}`);
  route(true, false);
  const convOnlyMs = bestMs(args.runs, step);
  console.log(`    matMul conv (pool, 1 thread), BatchNorm as tf ops ${fmt(convOnlyMs)}`);
  if (args.baseline) {
    route(false, false);
    const beforeMs = bestMs(1, step);
    console.log(`    tf.conv3d, BatchNorm as tf ops ${fmt(beforeMs)}`);
    console.log(`    speed-up ×${(beforeMs / afterMs).toFixed(1)}`);
  }
  route(true, true);
  if (args.profile) {
    const info = await tf.profile(step);
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += Number(k.kernelTimeMs);
      e.calls += 1;
      byKernel.set(k.name, e);
    }
    const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
    console.log(
      `  profile: ${total.toFixed(0)} ms in kernels, top 15 (the conv kernel includes its nested ` +
        `BatchMatMuls, also listed; the JS of gradients is in no kernel):`,
    );
    [...byKernel.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 15)
      .forEach(([name, e]) =>
        console.log(`    ${name.padEnd(24)} ${fmt(e.ms)}  ${String(e.calls).padStart(5)} calls`),
      );
  }
  dispose();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const backend of args.backends) {
    await tf.setBackend(backend);
    await tf.ready();
    console.log(`backend ${tf.getBackend()}`);
    if (args.convs) benchConvs(args);
    if (args.vnet) await benchVNet(args);
  }
  await closeComputePool();
}

void main();
