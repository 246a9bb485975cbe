// Unit tests for per-case evaluation: empty-mask rules, labels, units and the mean over cases.
import { describe, expect, it } from 'vitest';
import type { Dims3 } from '../image/edt';
import {
  evaluateCase,
  evaluateLabels,
  foregroundLabels,
  meanMetrics,
  type CaseMetrics,
} from './evaluate';
import { dice, jaccard } from './overlap';
import { boxMask, shiftMask } from './testing';

const DIMS: Dims3 = [10, 8, 6];

describe('evaluateCase', () => {
  it('scores a perfect prediction as Dice 1 and zero distances', () => {
    const m = boxMask(DIMS, [2, 2, 1], [7, 6, 5]);
    expect(evaluateCase(m, m, DIMS, [0.5, 0.5, 2])).toEqual({
      dice: 1,
      jaccard: 1,
      hd95: 0,
      asd: 0,
      assd: 0,
      hd95Mm: 0,
      asdMm: 0,
      assdMm: 0,
      predEmpty: false,
      truthEmpty: false,
    });
  });

  it('agrees with overlap.ts and scales distances by an isotropic spacing', () => {
    const truth = boxMask(DIMS, [2, 2, 1], [7, 6, 5]);
    const pred = shiftMask(truth, DIMS, [1, 0, 1]);
    const m = evaluateCase(pred, truth, DIMS, [2, 2, 2]);
    expect(m.dice).toBeCloseTo(dice(pred, truth), 12);
    expect(m.jaccard).toBeCloseTo(jaccard(pred, truth), 12);
    expect(m.hd95!).toBeGreaterThan(0);
    expect(m.hd95Mm!).toBeCloseTo(2 * m.hd95!, 12);
    expect(m.asdMm!).toBeCloseTo(2 * m.asd!, 12);
    expect(m.assdMm!).toBeCloseTo(2 * m.assd!, 12);
  });

  it('reports empty masks with flags, Dice 0 and null distances; both empty is Dice 1', () => {
    const box = boxMask(DIMS, [2, 2, 1], [7, 6, 5]);
    const empty = new Uint8Array(box.length);
    const nulls = { hd95: null, asd: null, assd: null, hd95Mm: null, asdMm: null, assdMm: null };
    expect(evaluateCase(empty, box, DIMS, [1, 1, 1])).toEqual({
      dice: 0,
      jaccard: 0,
      ...nulls,
      predEmpty: true,
      truthEmpty: false,
    });
    expect(evaluateCase(box, empty, DIMS, [1, 1, 1])).toMatchObject({
      dice: 0,
      ...nulls,
      predEmpty: false,
      truthEmpty: true,
    });
    expect(evaluateCase(empty, empty, DIMS, [1, 1, 1])).toMatchObject({
      dice: 1,
      jaccard: 1,
      ...nulls,
      predEmpty: true,
      truthEmpty: true,
    });
  });

  it('scores the chosen label only, and evaluateLabels every foreground label', () => {
    const truth = new Uint16Array(boxMask(DIMS, [0, 0, 0], [5, 8, 6]));
    const pred = new Uint16Array(truth);
    for (let v = 0; v < truth.length; v++) if (!truth[v]) truth[v] = 300;
    for (let v = 0; v < pred.length; v++) if (!pred[v] && v % 3) pred[v] = 300;
    expect(evaluateCase(pred, truth, DIMS, [1, 1, 1]).dice).toBe(1);
    expect(evaluateCase(pred, truth, DIMS, [1, 1, 1], { label: 300 }).dice).toBeLessThan(1);
    expect(foregroundLabels([pred, truth])).toEqual([1, 300]);
    const per = evaluateLabels(pred, truth, DIMS, [1, 1, 1]);
    expect(per.map((p) => p.label)).toEqual([1, 300]);
    expect(per[1]!.metrics).toEqual(evaluateCase(pred, truth, DIMS, [1, 1, 1], { label: 300 }));
  });

  it('refuses maps that do not match dims', () => {
    expect(() => evaluateCase(new Uint8Array(5), new Uint8Array(480), DIMS, [1, 1, 1])).toThrow(
      /must both match dims 10×8×6/,
    );
  });
});

describe('foregroundLabels', () => {
  it('stops early past the limit (grey-level images)', () => {
    const ramp = Float32Array.from({ length: 1000 }, (_, v) => v);
    expect(foregroundLabels([ramp], 10)).toHaveLength(11);
  });
});

describe('meanMetrics', () => {
  const base: CaseMetrics = {
    dice: 0.8,
    jaccard: 0.6,
    hd95: 4,
    asd: 1,
    assd: 2,
    hd95Mm: 8,
    asdMm: 2,
    assdMm: 4,
    predEmpty: false,
    truthEmpty: false,
  };
  const emptyPred: CaseMetrics = {
    dice: 0,
    jaccard: 0,
    hd95: null,
    asd: null,
    assd: null,
    hd95Mm: null,
    asdMm: null,
    assdMm: null,
    predEmpty: true,
    truthEmpty: false,
  };

  it('averages Dice over all cases and distances over cases that have them', () => {
    const other = { ...base, dice: 0.6, jaccard: 0.4, hd95: 6, asd: 3, assdMm: 6 };
    const m = meanMetrics([base, emptyPred, other]);
    expect(m.dice).toBeCloseTo(1.4 / 3, 12);
    expect(m.jaccard).toBeCloseTo(1 / 3, 12);
    expect(m).toMatchObject({ hd95: 5, asd: 2, assd: 2, hd95Mm: 8, asdMm: 2, assdMm: 5 });
    expect(m.cases).toBe(3);
    expect(m.distanceCases).toBe(2);
  });

  it('gives null distances when no case has them, and refuses zero cases', () => {
    expect(meanMetrics([emptyPred])).toMatchObject({ dice: 0, hd95: null, distanceCases: 0 });
    expect(() => meanMetrics([])).toThrow(/zero cases/);
  });
});
