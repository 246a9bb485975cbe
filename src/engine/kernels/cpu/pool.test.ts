// Unit tests (plain Node) for the compute pool and its WebAssembly GEMM: products against a
// float64 reference on odd shapes and strides, bit-identical results at 1, 2 and 3 threads,
// the fallback to the calling thread when workers fail, and that idle workers let Node exit.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import {
  activeComputeThreads,
  arenaAlloc,
  arenaMark,
  arenaRelease,
  arenaView,
  closeComputePool,
  computePoolStats,
  computeThreads,
  injectWorkerFaultForTesting,
  poolEveryJobForTesting,
  runJob,
  setComputeThreads,
  takeComputePoolDiagnostic,
} from './pool';
import type { GemmJob } from './tasks';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Layout {
  name: string;
  m: number;
  k: number;
  n: number;
  /** A element (i, p) at i·rowStride + p·innerStride (floats). */
  rowStride: (k: number, m: number) => number;
  innerStride: (k: number, m: number) => number;
}

const LAYOUTS: Layout[] = [
  { name: 'A row-major', m: 37, k: 29, n: 23, rowStride: (k) => k + 3, innerStride: () => 1 },
  { name: 'Aᵀ (filter gradient)', m: 27, k: 301, n: 13, rowStride: () => 1, innerStride: (_k, m) => m + 1 },
  { name: 'overlapping rows (stride-1 conv)', m: 130, k: 24, n: 8, rowStride: () => 8, innerStride: () => 1 },
  { name: 'one row, one column', m: 1, k: 5, n: 1, rowStride: (k) => k, innerStride: () => 1 },
  { name: 'tile remainders', m: 6, k: 1, n: 17, rowStride: (k) => k, innerStride: () => 1 },
]; // prettier-ignore

interface Problem {
  job: GemmJob;
  a: Float32Array;
  b: Float32Array[];
  c0: Float32Array;
  cAddress: number;
  cFloats: number;
  cRowStride: number;
  onto: boolean;
}

/** Two taps into one C, units of 3 and bands of 8 rows: one product per tap (the second
 *  accumulating), or fused into one pass; `onto` adds the result to C's old values. */
function problem(layout: Layout, seed: number, fused = false, onto = false): Problem {
  const rng = createRng(seed);
  const { m, k, n } = layout;
  const sI = layout.rowStride(k, m);
  const sP = layout.innerStride(k, m);
  const units = 3;
  const aFloats = (m - 1) * sI + (k - 1) * sP + 1;
  const aUnit = aFloats + 5;
  const cRowStride = n + 2;
  const cUnit = m * cRowStride + 1;
  const sB = n + 1;
  const aAddress = arenaAlloc(units * aUnit + 7);
  const a = arenaView(aAddress, units * aUnit + 7);
  a.forEach((_, i) => (a[i] = rng.normal()));
  const b = [0, 1].map(() => {
    const at = arenaAlloc(k * sB);
    const view = arenaView(at, k * sB);
    view.forEach((_, i) => (view[i] = rng.normal()));
    return { at, view };
  });
  const cAddress = arenaAlloc(units * cUnit);
  const c0 = Float32Array.from({ length: units * cUnit }, () => rng.normal());
  arenaView(cAddress, c0.length).set(c0);
  const job: GemmJob = {
    ...{ units, unitA: aUnit * 4, unitB: 0, unitC: cUnit * 4 },
    ...{ m, bandRows: 8, k, n, sI: sI * 4, sP: sP * 4, sB: sB * 4, sC: cRowStride * 4 },
    taps: [
      { a: aAddress, b: b[0].at, c: cAddress, accumulate: onto },
      { a: aAddress + 4 * 7, b: b[1].at, c: cAddress, accumulate: !fused },
    ],
    fuseTaps: fused,
  };
  return { job, a, b: b.map((x) => x.view), c0, cAddress, cFloats: c0.length, cRowStride, onto };
}

/** Float64 reference of the job, and the largest |term| sum per element for the tolerance. */
function reference(p: Problem, layout: Layout) {
  const { m, k, n } = layout;
  const sI = layout.rowStride(k, m);
  const sP = layout.innerStride(k, m);
  const sB = n + 1;
  const want = Float64Array.from(p.c0);
  const scale = new Float64Array(p.c0.length);
  for (let u = 0; u < p.job.units; u++) {
    const aBase = (u * p.job.unitA) / 4;
    const cBase = (u * p.job.unitC) / 4;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        p.b.forEach((b, t) => {
          for (let q = 0; q < k; q++) {
            const term = p.a[aBase + 7 * t + i * sI + q * sP] * b[q * sB + j];
            s += term;
            abs += Math.abs(term);
          }
        });
        want[cBase + i * p.cRowStride + j] = (p.onto ? p.c0[cBase + i * p.cRowStride + j] : 0) + s;
        scale[cBase + i * p.cRowStride + j] = abs + Math.abs(p.c0[cBase + i * p.cRowStride + j]);
      }
    }
  }
  return { want, scale };
}

afterEach(() => {
  injectWorkerFaultForTesting(undefined);
  setComputeThreads(1);
});

afterAll(async () => {
  await closeComputePool();
});

describe('pooled GEMM', () => {
  const variants = [
    { fused: false, onto: false, what: 'a product per tap' },
    { fused: true, onto: false, what: 'taps fused' },
    { fused: true, onto: true, what: 'taps fused, added to C' },
  ];
  LAYOUTS.forEach((layout, index) => {
    it.each(variants)(
      `matches a float64 reference and is bit-identical at 1, 2 and 3 threads: ${layout.name}, $what`,
      ({ fused, onto }) => {
        const mark = arenaMark();
        try {
          const p = problem(layout, 40 + index, fused, onto);
          const { want, scale } = reference(p, layout);
          let first: Float32Array | undefined;
          for (const threads of [1, 2, 3]) {
            setComputeThreads(threads);
            arenaView(p.cAddress, p.cFloats).set(p.c0);
            runJob(p.job);
            const got = arenaView(p.cAddress, p.cFloats).slice();
            for (let e = 0; e < got.length; e++) {
              // float32 rounding of each term and partial sum: ≤ k·2⁻²³ of Σ|terms| in theory.
              const tolerance = 2 * 2 ** -23 * (2 * layout.k + 2) * scale[e] + 1e-30;
              if (Math.abs(got[e] - want[e]) > tolerance) {
                expect.fail(`element ${e}: ${got[e]} vs ${want[e]} (± ${tolerance})`);
              }
            }
            first ??= got;
            expect(Buffer.from(got.buffer).equals(Buffer.from(first.buffer)), `${threads}`).toBe(
              true,
            );
          }
        } finally {
          arenaRelease(mark);
        }
      },
    );
  });

  it('wakes the workers for a large job and splits it between the threads', () => {
    const mark = arenaMark();
    try {
      const [m, k, n] = [4096, 32, 16];
      const a = arenaAlloc(m * k);
      const b = arenaAlloc(k * n);
      const c = arenaAlloc(m * n);
      arenaView(a, m * k).fill(1);
      arenaView(b, k * n).fill(0.5);
      setComputeThreads(3);
      const before = computePoolStats.pooledJobs;
      runJob({
        ...{ units: 1, unitA: 0, unitB: 0, unitC: 0, m, bandRows: 16, k, n },
        ...{ sI: k * 4, sP: 4, sB: n * 4, sC: n * 4 },
        taps: [{ a, b, c, accumulate: false }],
      });
      expect(computePoolStats.pooledJobs).toBe(before + 1);
      expect(activeComputeThreads()).toBe(3);
      expect(arenaView(c, m * n).every((v) => v === 16)).toBe(true);
      expect(takeComputePoolDiagnostic()).toBeUndefined();
    } finally {
      arenaRelease(mark);
    }
  });
});

describe('late workers', () => {
  it('a job run on the caller alone waits for items a late worker took of it', () => {
    const mark = arenaMark();
    try {
      const [m, k, n] = [16384, 256, 64];
      const a = arenaAlloc(m * k);
      const b = arenaAlloc(k * n);
      const c = arenaAlloc(m * n);
      arenaView(a, m * k).fill(1);
      arenaView(b, k * n).fill(0.5);
      const job = (rows: number, bandRows: number, value: number): GemmJob => {
        arenaView(b, k * n).fill(value);
        return {
          ...{ units: 1, unitA: 0, unitB: 0, unitC: 0, m: rows, bandRows, k, n },
          ...{ sI: k * 4, sP: 4, sB: n * 4, sC: n * 4 },
          taps: [{ a, b, c, accumulate: false }],
        };
      };
      injectWorkerFaultForTesting('late');
      let backoffs = 0;
      for (let repeat = 0; repeat < 16; repeat++) {
        const before = computePoolStats.backoffs;
        setComputeThreads(1);
        setComputeThreads(2);
        // The worker misses the first (short) job, so the pool backs off to the caller for
        // the next ones; the worker then wakes during the second and takes some of its items.
        runJob(job(256, 128, 0.25));
        arenaView(c, m * n).fill(-1);
        runJob(job(m, 4096, 0.5));
        // Copied at once: an item still being written shows as -1 there.
        const got = arenaView(c, m * n).slice();
        expect(
          got.every((v) => v === k * 0.5),
          `repeat ${repeat}`,
        ).toBe(true);
        backoffs += computePoolStats.backoffs > before ? 1 : 0;
      }
      // The case this test is about happened.
      expect(backoffs).toBeGreaterThan(0);
    } finally {
      arenaRelease(mark);
    }
  });
});

describe('fallback', () => {
  for (const fault of ['start', 'job'] as const) {
    it(`runs on the calling thread, with one diagnostic, when a worker fails at ${fault}`, async () => {
      const layout = LAYOUTS[0];
      const mark = arenaMark();
      try {
        const p = problem(layout, 7);
        setComputeThreads(1);
        runJob(p.job);
        const expected = arenaView(p.cAddress, p.cFloats).slice();
        injectWorkerFaultForTesting(fault);
        poolEveryJobForTesting(true);
        setComputeThreads(2);
        // The caller does not wait for a worker that has not joined a job yet, so a failing
        // one may be noticed a few jobs later; every result must be right meanwhile.
        for (let repeat = 0; repeat < 100 && (repeat < 2 || activeComputeThreads() > 1); repeat++) {
          arenaView(p.cAddress, p.cFloats).set(p.c0);
          runJob(p.job);
          expect(arenaView(p.cAddress, p.cFloats)).toEqual(expected);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expect(activeComputeThreads()).toBe(1);
        expect(computeThreads()).toBe(2);
        expect(takeComputePoolDiagnostic()).toMatch(/running on one thread instead/);
        expect(takeComputePoolDiagnostic()).toBeUndefined();
      } finally {
        poolEveryJobForTesting(false);
        arenaRelease(mark);
      }
    });
  }

  it('refuses thread counts that are not whole numbers from 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => setComputeThreads(bad)).toThrow(/1 to/);
  });
});

describe('process exit', () => {
  it('does not keep Node alive once the work is done', () => {
    const script = [
      `import { arenaAlloc, runJob, setComputeThreads, activeComputeThreads } from ${JSON.stringify(path.join(here, 'pool.ts'))};`,
      'setComputeThreads(2);',
      'const [m, k, n] = [2048, 64, 16];',
      'const a = arenaAlloc(m * k), b = arenaAlloc(k * n), c = arenaAlloc(m * n);',
      'runJob({ units: 1, unitA: 0, unitB: 0, unitC: 0, m, bandRows: 16, k, n, sI: k * 4, sP: 4, sB: n * 4, sC: n * 4, taps: [{ a, b, c, accumulate: false }] });',
      'console.log(activeComputeThreads());',
    ].join('\n');
    const tsx = path.join(here, '../../../../node_modules/.bin/tsx');
    const out = execFileSync(tsx, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.trim()).toBe('2');
  });
});
