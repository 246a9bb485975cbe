// Unit tests (Node) for the loss-curve helpers: series by column name, downsampling that keeps
// extremes within the point budget, chart geometry and duration formatting.
import { describe, expect, it } from 'vitest';
import { LOSS_COLUMNS } from '../../../../shared/contract/training';
import {
  chartGeometry,
  downsample,
  formatDuration,
  formatValue,
  MAX_CHART_POINTS,
  seriesOf,
  type Point,
} from './chart';

describe('seriesOf', () => {
  it('reads a column by its LOSS_COLUMNS name and skips non-finite values', () => {
    const row = (it: number, pd: number) =>
      LOSS_COLUMNS.map((c) => (c === 'iteration' ? it : c === 'pairwiseDistillation' ? pd : -1));
    expect(seriesOf([row(1, 0.5), row(2, NaN), row(3, 0.25)], 'pairwiseDistillation')).toEqual([
      [1, 0.5],
      [3, 0.25],
    ]);
  });
});

describe('downsample', () => {
  const wave = (n: number): Point[] =>
    Array.from({ length: n }, (_, i) => [i + 1, Math.sin(i / 50) + (i === 1234 ? 9 : 0)]);

  it('leaves short series alone', () => {
    const points = wave(120);
    expect(downsample(points)).toEqual(points);
  });

  it('keeps at most the budget, in order, with the ends and the extremes', () => {
    for (const n of [301, 1000, 6000, 20000]) {
      const points = wave(n);
      const out = downsample(points);
      expect(out.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
      expect(out.length).toBeGreaterThan(MAX_CHART_POINTS / 2);
      expect(out[0]).toEqual(points[0]);
      expect(out.at(-1)).toEqual(points.at(-1));
      for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0]);
      const ys = (p: Point[]) => p.map((q) => q[1]);
      expect(Math.max(...ys(out))).toBe(Math.max(...ys(points)));
      expect(Math.min(...ys(out))).toBe(Math.min(...ys(points)));
    }
  });
});

describe('chartGeometry', () => {
  it('maps the range onto the box with y up', () => {
    const g = chartGeometry(
      [
        [0, 1],
        [10, 3],
      ],
      100,
      50,
      0,
    );
    expect(g).toMatchObject({ minX: 0, maxX: 10, minY: 1, maxY: 3 });
    expect(g.d).toBe('M0.0,50.0 L100.0,0.0');
  });

  it('draws a flat or single-point series in the middle, and nothing without points', () => {
    expect(chartGeometry([[5, 2]], 100, 50, 0).d).toBe('M0.0,25.0');
    expect(chartGeometry([], 100, 50).d).toBe('');
  });
});

describe('formatting', () => {
  it('formats durations and values compactly', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 05 min');
    expect(formatDuration(NaN)).toBe('—');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(0.00001234)).toBe('1.2e-5');
    expect(formatValue(0)).toBe('0');
  });
});
