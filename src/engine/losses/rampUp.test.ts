// Unit tests (pure) for the ramp-up weight: UA-MT's sigmoid ramp, stepped every 150 iterations.

import { describe, expect, it } from 'vitest';
import { rampUp, sigmoidRampUp } from './rampUp';

describe('rampUp', () => {
  it('starts at exp(−5), steps every 150 iterations and reaches 1 at maxIterations', () => {
    expect(rampUp(0, 6000)).toBeCloseTo(Math.exp(-5), 12);
    expect(rampUp(149, 6000)).toBeCloseTo(Math.exp(-5), 12);
    expect(rampUp(150, 6000)).toBeCloseTo(Math.exp(-5 * (1 - 1 / 40) ** 2), 12);
    expect(rampUp(3000, 6000)).toBeCloseTo(Math.exp(-5 * 0.25), 12);
    expect(rampUp(5999, 6000)).toBeCloseTo(Math.exp(-5 * (1 / 40) ** 2), 12);
    expect(rampUp(6000, 6000)).toBe(1);
    expect(rampUp(9000, 6000)).toBe(1);
  });

  it('keeps a fractional ramp length, allows per-iteration steps, and handles length 0', () => {
    expect(rampUp(300, 1000)).toBeCloseTo(Math.exp(-5 * (1 - 2 / (1000 / 150)) ** 2), 12);
    expect(rampUp(1234, 6000, { stepEvery: 1 })).toBeCloseTo(
      Math.exp(-5 * (1 - 1234 / 6000) ** 2),
      12,
    );
    expect(rampUp(10, 0)).toBe(1);
    expect(sigmoidRampUp(-3, 40)).toBeCloseTo(Math.exp(-5), 12);
    expect(() => rampUp(1, 10, { stepEvery: 0 })).toThrow(/stepEvery/);
    expect(() => rampUp(-1, 10)).toThrow(/non-negative/);
  });
});
