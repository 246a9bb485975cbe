// Dense products for the matMul-based conv (engine, wherever TF.js runs): on 'wasm' through
// tf.matMul (XNNPACK, 10–20 GFLOP/s), on 'cpu' through the JavaScript kernel of gemm.ts, which
// is ~5× faster than that backend's own matMul on these shapes.
import * as tf from '@tensorflow/tfjs';
import { gemmAccumulate } from './gemm';

/** A right operand [k×n] that several products share. */
export interface RightOperand {
  readonly values: Float32Array;
  readonly k: number;
  readonly n: number;
  /** The operand as a tensor on 'wasm' (XNNPACK packs it once per tensor). */
  readonly tensor?: tf.Tensor2D;
}

export interface Products {
  right(values: Float32Array, k: number, n: number): RightOperand;
  /**
   * out[m×n] = Σ_t a[offsets[t] …][m×k] · rights[t]: one product, or the sum of the per-tap
   * products of a stride-1 conv (summed on the backend, read back once).
   */
  sum(
    a: Float32Array,
    offsets: readonly number[],
    m: number,
    rights: readonly RightOperand[],
    out: Float32Array,
  ): void;
  release(right: RightOperand): void;
}

const jsProducts: Products = {
  right: (values, k, n) => ({ values, k, n }),
  sum: (a, offsets, m, rights, out) => {
    out.fill(0, 0, m * rights[0].n);
    offsets.forEach((offset, t) => {
      const { values, k, n } = rights[t];
      gemmAccumulate(a, offset, values, out, m, k, n);
    });
  },
  release: () => {},
};

const tfProducts: Products = {
  right: (values, k, n) => ({ values, k, n, tensor: tf.tensor2d(values, [k, n]) }),
  sum: (a, offsets, m, rights, out) => {
    // Each input is freed right after its product, so one k-wide slice lives at a time.
    let total: tf.Tensor | null = null;
    offsets.forEach((offset, t) => {
      const { k, tensor } = rights[t];
      const at = tf.tensor2d(a.subarray(offset, offset + m * k), [m, k]);
      const y = tf.matMul(at, tensor!);
      at.dispose();
      if (total) {
        const next: tf.Tensor = tf.add(total, y);
        tf.dispose([total, y]);
        total = next;
      } else {
        total = y;
      }
    });
    out.set(total!.dataSync() as Float32Array);
    total!.dispose();
  },
  release: (right) => right.tensor?.dispose(),
};

/** The 'cpu' backend's matMul is a plain loop nest; every other backend's beats gemm.ts. */
export function productsFor(backendName: string): Products {
  return backendName === 'cpu' ? jsProducts : tfProducts;
}
