// SimCVD projection head (engine, TF.js): alpha dropout on the boundary-aware input Q, adaptive
// average pooling of every 2-D slice, an MLP, L2-normalised — one embedding per slice.

import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import type { Rng } from '../../core/random';
import { variableFrom } from './params';
import { adaptiveAvgPool2d } from './adaptivePool';
import { alphaDropout } from './alphaDropout';
import { DEFAULT_PROJECTION_HEAD_CONFIG, type ProjectionHeadConfig } from './projectionConfig';
import { assertRank, l2Normalize } from '../losses/tensorOps';

export {
  DEFAULT_PROJECTION_HEAD_CONFIG,
  type ProjectionHeadConfig,
  type SliceAxis,
} from './projectionConfig';

export interface DenseParams {
  /** `[in, out]`, applied as x·W. */
  weight: tf.Variable;
  bias: tf.Variable;
}

export interface ProjectionHead {
  config: ProjectionHeadConfig;
  layers: DenseParams[];
}

/**
 * New head with PyTorch `nn.Linear`'s default initialisation (weight and bias uniform in
 * ±1/√fan_in), drawn from `rng`. With `namePrefix` the variables are named
 * `<prefix>/dense<l>/kernel|bias` (TF.js requires names to be unique in the process, e.g.
 * 'student/projection' and 'teacher/projection'); without it TF.js picks unique names.
 */
export function createProjectionHead(
  rng: Rng,
  config: Partial<ProjectionHeadConfig> = {},
  namePrefix?: string,
): ProjectionHead {
  const full = { ...DEFAULT_PROJECTION_HEAD_CONFIG, ...config };
  checkConfig(full);
  const widths = [full.poolSize * full.poolSize, ...full.hiddenWidths, full.outputWidth];
  const layers = widths.slice(1).map((fanOut, l) => {
    const fanIn = widths[l];
    const bound = 1 / Math.sqrt(fanIn);
    const uniform = (n: number) =>
      Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
    return {
      weight: variableFrom(
        tf.tensor2d(uniform(fanIn * fanOut), [fanIn, fanOut]),
        true,
        variableName(namePrefix, l, 'kernel'),
      ),
      bias: variableFrom(tf.tensor1d(uniform(fanOut)), true, variableName(namePrefix, l, 'bias')),
    };
  });
  return { config: full, layers };
}

/** A head with the same config and copied weights: the teacher's EMA starting point. */
export function cloneProjectionHead(head: ProjectionHead, namePrefix?: string): ProjectionHead {
  const layers = head.layers.map((layer, l) => ({
    weight: variableFrom(layer.weight.clone(), true, variableName(namePrefix, l, 'kernel')),
    bias: variableFrom(layer.bias.clone(), true, variableName(namePrefix, l, 'bias')),
  }));
  return { config: { ...head.config, hiddenWidths: [...head.config.hiddenWidths] }, layers };
}

export function projectionHeadVariables(head: ProjectionHead): tf.Variable[] {
  return head.layers.flatMap((layer) => [layer.weight, layer.bias]);
}

export function disposeProjectionHead(head: ProjectionHead): void {
  for (const variable of projectionHeadVariables(head)) variable.dispose();
}

export interface ProjectionForwardOptions {
  /** Dropout on (training; the teacher also runs with dropout on [B]) or off (identity). */
  training: boolean;
  /** Source of the dropout mask; needed when training with a non-zero rate. */
  rng?: Rng;
}

/**
 * Q `[N, D, H, W, 1]` (image + predicted SDM, formed by the caller) → `[N·S, outputWidth]`
 * unit-length embeddings, S slices per volume along `sliceAxis`, rows ordered volume-major
 * (row n·S + s is slice s of volume n). A slice keeps the other two axes in tensor order
 * (D-slices are [H, W]); it is pooled, flattened row-major and sent through
 * Linear → ReLU → … → Linear.
 */
export function projectionHeadForward(
  head: ProjectionHead,
  q: tf.Tensor,
  options: ProjectionForwardOptions,
): tf.Tensor2D {
  assertRank(q, 5, 'Projection head', '[N, D, H, W, 1]');
  if (q.shape[4] !== 1) {
    throw new AppError(
      'BAD_INPUT',
      `Projection head: Q must have one channel (image + SDM), got shape [${q.shape.join(', ')}].`,
    );
  }
  const { poolSize, dropoutRate, sliceAxis } = head.config;
  const dropping = options.training && dropoutRate > 0;
  if (dropping && !options.rng) {
    throw new AppError('BAD_INPUT', 'Projection head: training with dropout needs an rng.');
  }
  return tf.tidy(() => {
    const dropped = dropping ? alphaDropout(q, dropoutRate, options.rng!, true) : q;
    const volumes = tf.squeeze(dropped, [4]); // [N, D, H, W]
    const order = { D: [0, 1, 2, 3], H: [0, 2, 1, 3], W: [0, 3, 1, 2] }[sliceAxis];
    const sliced = tf.transpose(volumes, order); // [N, S, a, b]
    const [n, s, a, b] = sliced.shape;
    const pooled = adaptiveAvgPool2d(tf.reshape(sliced, [n * s, a, b]), [poolSize, poolSize]);
    let x: tf.Tensor = tf.reshape(pooled, [n * s, poolSize * poolSize]);
    head.layers.forEach((layer, l) => {
      x = tf.add(tf.matMul(x, layer.weight), layer.bias);
      if (l < head.layers.length - 1) x = tf.relu(x);
    });
    return l2Normalize(x, -1) as tf.Tensor2D;
  });
}

function variableName(prefix: string | undefined, layer: number, part: string): string | undefined {
  return prefix === undefined ? undefined : `${prefix}/dense${layer}/${part}`;
}

function checkConfig(config: ProjectionHeadConfig): void {
  const widths = [config.poolSize, ...config.hiddenWidths, config.outputWidth];
  if (widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new AppError(
      'BAD_INPUT',
      `Projection head: pool size and widths must be positive integers, got pool ${config.poolSize}, widths [${config.hiddenWidths.join(', ')}], output ${config.outputWidth}.`,
    );
  }
  if (!(config.dropoutRate >= 0 && config.dropoutRate <= 1)) {
    throw new AppError(
      'BAD_INPUT',
      `Projection head: dropout rate must be in [0, 1], got ${config.dropoutRate}.`,
    );
  }
  if (!['D', 'H', 'W'].includes(config.sliceAxis)) {
    throw new AppError(
      'BAD_INPUT',
      `Projection head: sliceAxis must be D, H or W, got ${config.sliceAxis}.`,
    );
  }
}
