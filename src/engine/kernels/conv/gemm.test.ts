// Unit test (plain Node) for the JavaScript matrix product used by the conv on the 'cpu'
// backend: odd row counts and column counts off the 4-wide blocking, offsets, accumulation.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../core/random';
import { gemmAccumulate } from './gemm';

describe('gemmAccumulate', () => {
  it('adds a·b to c for every blocking remainder, reading a from an offset', () => {
    const rng = createRng(5);
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 3],
      [6, 4, 8],
      [7, 9, 10],
      [2, 33, 4],
    ]) {
      const offset = 3;
      const a = Float32Array.from({ length: offset + m * k }, () => rng.normal());
      const b = Float32Array.from({ length: k * n }, () => rng.normal());
      const c0 = Float32Array.from({ length: m * n }, () => rng.normal());
      const c = c0.slice();
      gemmAccumulate(a, offset, b, c, m, k, n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = c0[i * n + j];
          for (let p = 0; p < k; p++) s += a[offset + i * k + p] * b[p * n + j];
          expect(c[i * n + j]).toBeCloseTo(s, 4);
        }
      }
    }
  });
});
