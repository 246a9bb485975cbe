// Uncertainty binning for the overlay: thresholds, monotone bins and the colour table shape.
import { describe, expect, it } from 'vitest';
import {
  binUncertainty,
  heatColorLut,
  UNCERTAINTY_BINS,
  UNCERTAINTY_FLOOR,
  uncertaintyLegend,
} from './uncertaintyLut';

describe('binUncertainty', () => {
  it('leaves low uncertainty transparent and bins the rest from 1 to the top bin', () => {
    const bins = binUncertainty(
      Uint8Array.from([0, UNCERTAINTY_FLOOR - 1, UNCERTAINTY_FLOOR, 128, 255]),
    );
    expect(Array.from(bins)).toEqual([0, 0, 1, 4, UNCERTAINTY_BINS]);
  });

  it('never decreases as the uncertainty grows', () => {
    const all = binUncertainty(Uint8Array.from({ length: 256 }, (_, n) => n));
    for (let n = 1; n < 256; n++) expect(all[n]!).toBeGreaterThanOrEqual(all[n - 1]!);
    expect(new Set(all).size).toBe(UNCERTAINTY_BINS + 1);
  });
});

describe('heatColorLut', () => {
  it('has a transparent background and one colour per bin, more opaque for higher bins', () => {
    const lut = heatColorLut();
    expect(lut).toHaveLength(UNCERTAINTY_BINS + 1);
    expect(lut[0]).toEqual([0, 0, 0, 0]);
    for (let b = 2; b <= UNCERTAINTY_BINS; b++) expect(lut[b]![3]).toBeGreaterThan(lut[b - 1]![3]);
    for (const c of lut) for (const v of c) expect(v).toBeGreaterThanOrEqual(0);
    for (const c of lut) for (const v of c) expect(v).toBeLessThanOrEqual(255);
  });
});

describe('uncertaintyLegend', () => {
  it('has one swatch per bin, in the bin colours, covering the range the bin holds', () => {
    const legend = uncertaintyLegend();
    const lut = heatColorLut();
    expect(legend).toHaveLength(UNCERTAINTY_BINS);
    legend.forEach((swatch, n) => {
      const [r, g, b] = lut[n + 1]!;
      expect(swatch.color).toMatch(new RegExp(`^rgba\\(${r}, ${g}, ${b}, `));
      const inside = Math.ceil(swatch.from * 255);
      expect(binUncertainty(Uint8Array.of(inside))[0]).toBe(n + 1);
      if (n > 0) expect(swatch.from).toBeCloseTo(legend[n - 1]!.to, 6);
    });
    expect(legend[0]!.from).toBeCloseTo(UNCERTAINTY_FLOOR / 255, 6);
    expect(legend.at(-1)!.to).toBeCloseTo(1, 2);
  });
});
