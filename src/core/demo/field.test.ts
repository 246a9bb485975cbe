// Unit tests (Node) for the demo generator's dense field helpers. Exact agreement with
// scipy.ndimage is checked in test/integration/demo.test.ts; here: invariants and smoothness.
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import type { Vec3 } from '../volume/volume';
import {
  blurSeparable,
  dilateBox,
  erodeBox,
  gaussianKernel,
  maskBounds,
  smoothRandomField,
} from './field';

describe('gaussianKernel', () => {
  it('is normalised and symmetric with radius ceil(3σ)', () => {
    const taps = gaussianKernel(1.3);
    expect(taps.length).toBe(2 * 4 + 1);
    expect(taps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let t = 0; t < taps.length; t++)
      expect(taps[t]).toBeCloseTo(taps[taps.length - 1 - t]!, 7);
    expect(Array.from(gaussianKernel(0))).toEqual([1]);
  });
});

describe('blurSeparable', () => {
  it('keeps a constant image constant (replicated borders) and preserves the mean of an impulse', () => {
    const dims: Vec3 = [7, 6, 5];
    const flat = new Float32Array(7 * 6 * 5).fill(3.5);
    blurSeparable(flat, dims, [0.8, 1.1, 0.6]);
    for (const x of flat) expect(x).toBeCloseTo(3.5, 5);
    // Far enough from the borders that no mass is reflected back.
    const impulse = new Float32Array(15 * 13 * 11);
    const centre = 7 + 15 * (6 + 13 * 5);
    impulse[centre] = 1;
    blurSeparable(impulse, [15, 13, 11], [0.8, 0.8, 0.6]);
    expect(impulse.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Symmetric spread along x around the centre.
    expect(impulse[centre - 1]).toBeCloseTo(impulse[centre + 1]!, 6);
    expect(impulse[centre]!).toBeGreaterThan(impulse[centre + 1]!);
  });
});

describe('smoothRandomField', () => {
  it('is deterministic, zero-mean, unit-variance and smooth at the cell scale', () => {
    const dims: Vec3 = [40, 36, 24];
    const a = smoothRandomField(dims, [8, 8, 5], createRng(5));
    const b = smoothRandomField(dims, [8, 8, 5], createRng(5));
    const c = smoothRandomField(dims, [8, 8, 5], createRng(6));
    const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
    let mean = 0;
    let variance = 0;
    for (const x of a) mean += x / a.length;
    for (const x of a) variance += (x - mean) ** 2 / a.length;
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(variance).toBeCloseTo(1, 3);
    // Neighbouring voxels differ far less than independent samples would (2σ² = 2).
    let diff = 0;
    let pairs = 0;
    for (let v = 0; v + 1 < a.length; v++) {
      if ((v + 1) % dims[0] === 0) continue;
      diff += (a[v + 1]! - a[v]!) ** 2;
      pairs++;
    }
    expect(diff / pairs).toBeLessThan(0.1);
  });
});

describe('dilateBox / erodeBox', () => {
  it('grows a single voxel into the box and erodes it back', () => {
    const dims: Vec3 = [9, 8, 7];
    const mask = new Uint8Array(9 * 8 * 7);
    mask[4 + 9 * (4 + 8 * 3)] = 1;
    const grown = dilateBox(mask, dims, [2, 1, 1]);
    expect(grown.reduce((a, b) => a + b, 0)).toBe(5 * 3 * 3);
    expect(maskBounds(grown, dims)).toEqual({ lo: [2, 3, 2], hi: [6, 5, 4] });
    const back = erodeBox(grown, dims, [2, 1, 1]);
    expect(Array.from(back)).toEqual(Array.from(mask));
    expect(dilateBox(new Uint8Array(mask.length), dims, [1, 1, 1]).some((x) => x)).toBe(false);
  });

  it('clips at the volume border', () => {
    const dims: Vec3 = [5, 5, 5];
    const mask = new Uint8Array(125);
    mask[0] = 1;
    expect(dilateBox(mask, dims, [1, 1, 1]).reduce((a, b) => a + b, 0)).toBe(8);
  });
});
