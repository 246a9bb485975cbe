// Integration test (Node + Debian Python): evaluateCase against medpy's definitions written out
// with numpy/scipy (test/reference/metrics_medpy.py) on blobby random masks and simple shapes,
// several sizes, isotropic and anisotropic spacings, empty masks and multi-label maps.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dims3, Spacing3 } from '../../src/core/image/edt';
import { evaluateCase, METRIC_KEYS, type CaseMetrics } from '../../src/core/metrics/evaluate';
import {
  ballMask,
  blobPair,
  boxMask,
  shiftMask,
  smoothField,
  thresholdTop,
} from '../../src/core/metrics/testing';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../reference/metrics_medpy.py', import.meta.url));
const KEYS = [...METRIC_KEYS, 'predEmpty', 'truthEmpty'] as const;

interface Case {
  what: string;
  dims: Dims3;
  spacing: Spacing3;
  pred: Uint8Array;
  truth: Uint8Array;
  label?: number;
}

function reference(cases: Case[]): CaseMetrics[] {
  const input = JSON.stringify({
    cases: cases.map((c) => ({
      dims: c.dims,
      spacing: c.spacing,
      label: c.label ?? 1,
      pred: Buffer.from(c.pred).toString('base64'),
      truth: Buffer.from(c.truth).toString('base64'),
    })),
  });
  const stdout = execFileSync(PYTHON, [SCRIPT], { input, maxBuffer: 64 << 20 });
  return (JSON.parse(stdout.toString()) as { results: CaseMetrics[] }).results;
}

function expectAgree(cases: Case[]): void {
  const expected = reference(cases);
  cases.forEach((c, n) => {
    const got = evaluateCase(c.pred, c.truth, c.dims, c.spacing, { label: c.label });
    const want = expected[n]!;
    for (const key of KEYS) {
      const g = got[key];
      const w = want[key];
      const where = `${c.what} ${key}: got ${g}, scipy ${w}`;
      if (typeof w === 'number') {
        expect(typeof g, where).toBe('number');
        expect(Math.abs((g as number) - w), where).toBeLessThanOrEqual(1e-6);
      } else {
        expect(g, where).toBe(w);
      }
    }
  });
}

const SPACINGS: Spacing3[] = [
  [1, 1, 1],
  [0.625, 0.625, 2.5],
  [1.7, 0.3, 0.9],
];

describe('evaluateCase vs numpy/scipy (medpy definitions)', () => {
  it('agrees to 1e-6 on blobby random masks of several sizes and spacings', () => {
    const cases: Case[] = [];
    const sizes: Dims3[] = [
      [24, 20, 16],
      [17, 13, 9],
      [9, 30, 12],
    ];
    let seed = 11;
    for (const dims of sizes)
      for (const spacing of SPACINGS)
        for (const [fraction, noise] of [
          [0.3, 0.5],
          [0.08, 1.5],
        ] as const) {
          const { pred, truth } = blobPair(dims, seed++, fraction, noise);
          cases.push({ what: `blobs ${dims.join('×')} f=${fraction}`, dims, spacing, pred, truth });
        }
    expectAgree(cases);
  });

  it('agrees on simple shapes, masks touching the border, thin masks and empty masks', () => {
    const dims: Dims3 = [24, 20, 16];
    const box = boxMask(dims, [5, 4, 3], [15, 12, 10]);
    const ball = ballMask(dims, [12, 10, 8], 5.5);
    const empty = new Uint8Array(box.length);
    const full = new Uint8Array(box.length).fill(1);
    const shapes: [string, Uint8Array, Uint8Array][] = [
      ['box vs itself', box, box],
      ['box shifted (2,-1,1)', shiftMask(box, dims, [2, -1, 1]), box],
      ['ball vs box', ball, box],
      ['box at corner vs ball', boxMask(dims, [0, 0, 0], [7, 6, 5]), ball],
      ['full volume vs box', full, box],
      ['single voxel vs ball', boxMask(dims, [3, 3, 3], [4, 4, 4]), ball],
      [
        'two far boxes vs one',
        boxMask(dims, [0, 0, 0], [3, 3, 3]),
        boxMask(dims, [20, 15, 12], [24, 20, 16]),
      ],
      ['empty prediction', empty, ball],
      ['empty truth', ball, empty],
      ['both empty', empty, empty],
    ];
    const cases: Case[] = [];
    for (const spacing of SPACINGS)
      for (const [what, pred, truth] of shapes) cases.push({ what, dims, spacing, pred, truth });
    // One-voxel-thick volumes: every foreground voxel is surface (the outside is background).
    const slab: Dims3 = [12, 1, 9];
    const field = smoothField(slab, 5, 2);
    cases.push({
      what: 'slab',
      dims: slab,
      spacing: [0.8, 1, 2],
      pred: thresholdTop(field, 0.4),
      truth: thresholdTop(
        field.map((x) => -x),
        0.5,
      ),
    });
    expectAgree(cases);
  });

  it('scores one label of multi-label maps', () => {
    const dims: Dims3 = [20, 18, 14];
    const truth = new Uint8Array(dims[0] * dims[1] * dims[2]);
    const pred = new Uint8Array(truth.length);
    const a = smoothField(dims, 41);
    const b = smoothField(dims, 42);
    for (let v = 0; v < truth.length; v++) {
      truth[v] = a[v]! > 0.15 ? 1 : a[v]! < -0.15 ? 2 : b[v]! > 0.2 ? 3 : 0;
      const p = a[v]! + 0.6 * b[v]!;
      pred[v] = p > 0.2 ? 1 : p < -0.2 ? 2 : b[v]! > 0.25 ? 3 : 0;
    }
    const cases: Case[] = [1, 2, 3, 4].map((label) => ({
      what: `label ${label}`,
      dims,
      spacing: [0.9, 1.1, 1.4],
      pred,
      truth,
      label,
    }));
    expectAgree(cases);
  });
});
