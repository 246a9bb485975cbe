// Backend correctness probe (engine, TF.js): one small forward and backward pass through the
// network's own building blocks — 3×3×3 conv with bias, BatchNorm on batch statistics, ReLU,
// stride-2 down-sampling, the transposed-conv up-sampling, softmax, a rank-6 transpose — on
// seeded asymmetric inputs, compared value by value with the same pass on the 'cpu' backend.
// Symmetric inputs (all ones) hide transposed or flipped kernels and wrong gradients; these do
// not. Reads back asynchronously, as WebGPU in Node has no synchronous read.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../core/random';
import { batchNorm, conv, upsample2x, type BnParams } from '../model/layers';

/** Float32 results differ by summation order between backends; broken kernels by far more. */
const RELATIVE_TOLERANCE = 2e-3;

export class ProbeMismatch extends Error {}

interface ProbeInputs {
  x: Float32Array;
  k3: Float32Array;
  b3: Float32Array;
  kDown: Float32Array;
  bDown: Float32Array;
  kUp: Float32Array;
  bUp: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  weights: Float32Array;
}

const SHAPES = {
  x: [2, 4, 4, 4, 2],
  k3: [3, 3, 3, 2, 3],
  kDown: [2, 2, 2, 3, 4],
  kUp: [2, 2, 2, 3, 4], // conv3dTranspose layout [2, 2, 2, out, in]
} as const;

function seededInputs(): ProbeInputs {
  const rng = createRng(20261201);
  const values = (n: number, scale = 1) =>
    Float32Array.from({ length: n }, () => scale * (rng.next() * 2 - 1));
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  return {
    x: values(size(SHAPES.x)),
    k3: values(size(SHAPES.k3), 0.5),
    b3: values(3),
    kDown: values(size(SHAPES.kDown), 0.5),
    bDown: values(4),
    kUp: values(size(SHAPES.kUp), 0.5),
    bUp: values(3),
    gamma: Float32Array.from([1.3, 0.7, 1.1]),
    beta: Float32Array.from([0.2, -0.4, 0.1]),
    weights: values(2 * 4 * 4 * 4 * 3),
  };
}

/** The probe pass on the active backend: named results, read back. */
async function runPass(input: ProbeInputs): Promise<Map<string, Float32Array>> {
  const bn: BnParams = {
    gamma: tf.variable(tf.tensor1d(input.gamma)),
    beta: tf.variable(tf.tensor1d(input.beta)),
    movingMean: tf.variable(tf.zeros([3])),
    movingVariance: tf.variable(tf.ones([3])),
  };
  try {
    const tensors = tf.tidy(() => {
      const x = tf.tensor5d(input.x, [...SHAPES.x]);
      const k3 = tf.tensor5d(input.k3, [...SHAPES.k3]);
      const kDown = tf.tensor5d(input.kDown, [...SHAPES.kDown]);
      const kUp = tf.tensor5d(input.kUp, [...SHAPES.kUp]);
      const weights = tf.tensor5d(input.weights, [2, 4, 4, 4, 3]);
      const pass = (xx: tf.Tensor, a: tf.Tensor, d: tf.Tensor, u: tf.Tensor) => {
        const y = tf.relu(
          batchNorm(conv(xx as tf.Tensor5D, a, tf.tensor1d(input.b3), 1), bn, {
            mode: 'batch',
            updateMoving: false,
            momentum: 0.1,
            epsilon: 1e-5,
          }),
        ) as tf.Tensor5D;
        const down = conv(y, d, tf.tensor1d(input.bDown), 2);
        const up = upsample2x(down, u, tf.tensor1d(input.bUp));
        const probs = tf.softmax(tf.add(y, up));
        return { out: probs, loss: tf.sum(tf.mul(probs, weights)) as tf.Scalar };
      };
      const { out } = pass(x, k3, kDown, kUp);
      const grads = tf.grads((a, b, c, d) => pass(a!, b!, c!, d!).loss)([x, k3, kDown, kUp]);
      const rank6 = tf.transpose(tf.range(0, 48).reshape([2, 1, 3, 2, 2, 2]), [0, 3, 1, 4, 2, 5]);
      return {
        output: out,
        dx: grads[0]!,
        dK3: grads[1]!,
        dKDown: grads[2]!,
        dKUp: grads[3]!,
        rank6,
      };
    });
    const out = new Map<string, Float32Array>();
    for (const [name, t] of Object.entries(tensors))
      out.set(name, Float32Array.from(await t.data()));
    tf.dispose(Object.values(tensors));
    return out;
  } finally {
    tf.dispose(Object.values(bn));
  }
}

const WHAT: Record<string, string> = {
  output: 'the forward pass (conv, BatchNorm, down- and up-sampling, softmax)',
  dx: 'the input gradient',
  dK3: 'the 3×3×3 convolution filter gradient',
  dKDown: 'the down-sampling filter gradient',
  dKUp: 'the up-sampling filter gradient',
  rank6: 'a rank-6 transpose',
};

/**
 * Runs the probe on `tfBackend` and on 'cpu', and throws ProbeMismatch naming the first result
 * that differs. Leaves `tfBackend` active.
 */
export async function probeAgainstCpu(tfBackend: string): Promise<void> {
  const input = seededInputs();
  await tf.setBackend('cpu');
  const expected = await runPass(input);
  if (!(await tf.setBackend(tfBackend))) throw new ProbeMismatch('its backend failed to start');
  const actual = await runPass(input);
  for (const [name, want] of expected) {
    const got = actual.get(name)!;
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i]! - want[i]!) <= RELATIVE_TOLERANCE * scale + 1e-6)) {
        throw new ProbeMismatch(
          `${WHAT[name]} gives wrong values (${got[i]} instead of ${want[i]} at element ${i})`,
        );
      }
    }
  }
}
