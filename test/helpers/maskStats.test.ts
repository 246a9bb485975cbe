// Unit tests (Node) for the test helpers that validate synthetic cases.
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src/core/volume/volume';
import { bestThresholdDice, componentSizes } from './maskStats';

describe('componentSizes', () => {
  it('distinguishes 6- from 26-connectivity and sorts sizes', () => {
    const dims: Vec3 = [5, 4, 3];
    const mask = new Uint8Array(60);
    const at = (i: number, j: number, k: number) => i + 5 * (j + 4 * k);
    // A diagonal pair (touching only at a corner) and a separate straight run of three.
    mask[at(0, 0, 0)] = 1;
    mask[at(1, 1, 1)] = 1;
    mask[at(4, 0, 2)] = 1;
    mask[at(4, 1, 2)] = 1;
    mask[at(4, 2, 2)] = 1;
    expect(componentSizes(mask, dims, 6)).toEqual([3, 1, 1]);
    expect(componentSizes(mask, dims, 26)).toEqual([3, 2]);
    expect(componentSizes(new Uint8Array(60), dims, 26)).toEqual([]);
  });

  it('does not wrap around row ends', () => {
    const mask = new Uint8Array(16);
    mask[3] = 1; // (3, 0)
    mask[4] = 1; // (0, 1): adjacent in memory, not in space
    expect(componentSizes(mask, [4, 4, 1], 26)).toEqual([1, 1]);
  });
});

describe('bestThresholdDice', () => {
  it('finds a perfect threshold when one exists', () => {
    const image = Int16Array.from([5, 120, 100, 99, 300, 7]);
    const label = Uint8Array.from([0, 1, 1, 0, 1, 0]);
    expect(bestThresholdDice(image, label)).toEqual({ threshold: 100, dice: 1 });
  });

  it('is limited when a bright distractor is as large as the target', () => {
    const image = Int16Array.from([200, 200, 210, 210, 10, 10]);
    const label = Uint8Array.from([1, 1, 0, 0, 0, 0]);
    const best = bestThresholdDice(image, label);
    expect(best.dice).toBeCloseTo(2 / 3, 6);
  });
});
