// Dense matrix product in plain JavaScript (engine, wherever TF.js runs) for the 'cpu' backend,
// whose own matMul runs at ~0.4 GFLOP/s: this 2×4 register-blocked kernel reaches ~2.5 GFLOP/s
// in V8 on the conv shapes (few output columns, long inner dimension).

/**
 * c[m×n] += a[m×k] · b[k×n], all row-major; `a` starts at aOffset. Sums run in float64 over the
 * whole inner dimension, so the result is at least as accurate as a float32 matMul.
 */
export function gemmAccumulate(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  const n4 = n - (n % 4);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = aOffset + i * k;
    const a1 = a0 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0;
      let c01 = 0;
      let c02 = 0;
      let c03 = 0;
      let c10 = 0;
      let c11 = 0;
      let c12 = 0;
      let c13 = 0;
      for (let p = 0, q = j; p < k; p++, q += n) {
        const x = a[a0 + p];
        const y = a[a1 + p];
        const b0 = b[q];
        const b1 = b[q + 1];
        const b2 = b[q + 2];
        const b3 = b[q + 3];
        c00 += x * b0;
        c01 += x * b1;
        c02 += x * b2;
        c03 += x * b3;
        c10 += y * b0;
        c11 += y * b1;
        c12 += y * b2;
        c13 += y * b3;
      }
      const o = i * n + j;
      c[o] += c00;
      c[o + 1] += c01;
      c[o + 2] += c02;
      c[o + 3] += c03;
      c[o + n] += c10;
      c[o + n + 1] += c11;
      c[o + n + 2] += c12;
      c[o + n + 3] += c13;
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let p = 0, q = j; p < k; p++, q += n) {
        s0 += a[a0 + p] * b[q];
        s1 += a[a1 + p] * b[q];
      }
      c[i * n + j] += s0;
      c[(i + 1) * n + j] += s1;
    }
  }
  for (; i < m; i++) {
    const a0 = aOffset + i * k;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, q = j; p < k; p++, q += n) s += a[a0 + p] * b[q];
      c[i * n + j] += s;
    }
  }
}
