// V-Net forward pass (engine, wherever TF.js runs): the UA-MT/DTC V-Net of docs/simcvd.md §1
// as a function of explicit parameters, so student and EMA teacher share one code path.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import type { Rng } from '../../core/random';
import { spatialMultiple } from './config';
import { batchNorm, channelDropout, conv, upsample2x, type BnMode } from './layers';
import { getVar, type VNetParams } from './params';

export interface ForwardOptions {
  /** This pass trains these params: BatchNorm moving statistics are updated (only together
   *  with bnMode 'batch'). The EMA teacher runs with training false. */
  training: boolean;
  /** Channel-wise dropout at the bottleneck and after the last decoder block. UA-MT runs the
   *  student and the teacher with dropout on; inference turns it off. */
  dropout: boolean;
  /** 'batch' (student and teacher during training) or 'moving' (inference). */
  bnMode: BnMode;
  /** Seeds the dropout masks for reproducible runs; unseeded if omitted. */
  rng?: Rng;
}

export interface ForwardResult {
  /** Segmentation logits [N, D, H, W, numClasses]; the losses apply the softmax. */
  logits: tf.Tensor5D;
  /** tanh signed-distance maps [N, D, H, W, numClasses − 1]; null without an SDM head. */
  sdm: tf.Tensor5D | null;
  /** Deepest encoder features as the decoder receives them (after dropout when enabled),
   *  [N, D/2^depth, H/2^depth, W/2^depth, baseFilters·2^depth]. */
  bottleneck: tf.Tensor5D;
  /** Last decoder features as the heads receive them (after dropout when enabled),
   *  [N, D, H, W, baseFilters]. */
  features: tf.Tensor5D;
}

/** Rejects inputs whose channels or spatial sizes the network cannot take. */
export function checkInputShape(params: VNetParams, shape: readonly number[]): void {
  const { config } = params;
  const m = spatialMultiple(config);
  if (shape.length !== 5 || shape[4] !== config.inChannels) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net input must be [N, D, H, W, ${config.inChannels}] (channels last), got [${shape}].`,
    );
  }
  const spatial = shape.slice(1, 4);
  if (spatial.some((s) => s < m || s % m !== 0)) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net patch ${spatial.join('×')} does not fit ${config.depth} down-sampling stages: ` +
        `every side must be a positive multiple of ${m}.`,
    );
  }
}

interface Ctx {
  params: VNetParams;
  options: ForwardOptions;
}

/** conv (+ BN) + ReLU, the unit of every ConvBlock, down- and up-sampling block. */
function convUnit(ctx: Ctx, prefix: string, x: tf.Tensor5D, kind: 'same' | 'down' | 'up') {
  const { params, options } = ctx;
  const kernel = getVar(params, `${prefix}.kernel`);
  const bias = getVar(params, `${prefix}.bias`);
  let y =
    kind === 'up' ? upsample2x(x, kernel, bias) : conv(x, kernel, bias, kind === 'down' ? 2 : 1);
  if (params.config.normalization === 'batch') {
    const bn = {
      gamma: getVar(params, `${prefix}.bn.gamma`),
      beta: getVar(params, `${prefix}.bn.beta`),
      movingMean: getVar(params, `${prefix}.bn.movingMean`),
      movingVariance: getVar(params, `${prefix}.bn.movingVariance`),
    };
    y = batchNorm(y, bn, {
      mode: options.bnMode,
      updateMoving: options.training && options.bnMode === 'batch',
      momentum: params.config.bnMomentum,
      epsilon: params.config.bnEpsilon,
    });
  }
  return tf.relu(y);
}

function convBlock(ctx: Ctx, prefix: string, convs: number, x: tf.Tensor5D): tf.Tensor5D {
  let y = x;
  for (let j = 0; j < convs; j++) y = convUnit(ctx, `${prefix}.conv${j}`, y, 'same');
  return y;
}

function maybeDropout(ctx: Ctx, x: tf.Tensor5D): tf.Tensor5D {
  if (!ctx.options.dropout) return x;
  const seed = ctx.options.rng ? ctx.options.rng.int(2 ** 31) : undefined;
  return channelDropout(x, ctx.params.config.dropoutRate, seed);
}

function head(ctx: Ctx, prefix: string, x: tf.Tensor5D): tf.Tensor5D {
  return conv(x, getVar(ctx.params, `${prefix}.kernel`), getVar(ctx.params, `${prefix}.bias`), 1);
}

/**
 * Runs the network on channels-last input [N, D, H, W, inChannels]. Intermediates are freed
 * here; the caller owns (and disposes) the returned tensors. Inside tf.variableGrads the
 * gradients reach every trainable variable, and everything but the returned loss is freed at
 * its end: tf.keep() outputs that are needed afterwards. Run the EMA teacher outside the
 * gradient scope so its pass is not taped.
 */
export function forward(
  params: VNetParams,
  input: tf.Tensor5D,
  options: ForwardOptions,
): ForwardResult {
  checkInputShape(params, input.shape);
  const { config } = params;
  const ctx: Ctx = { params, options };
  const out = tf.tidy((): Record<string, tf.Tensor5D> => {
    const skips: tf.Tensor5D[] = [];
    let x = input;
    for (let level = 0; level < config.depth; level++) {
      x = convBlock(ctx, `enc${level}`, config.stageConvs[level], x);
      skips.push(x);
      x = convUnit(ctx, `down${level}`, x, 'down');
    }
    x = convBlock(ctx, `enc${config.depth}`, config.stageConvs[config.depth], x);
    const bottleneck = maybeDropout(ctx, x);
    x = bottleneck;
    for (let level = config.depth - 1; level >= 0; level--) {
      // Skips are added, not concatenated (UA-MT/DTC V-Net).
      x = tf.add(convUnit(ctx, `up${level}`, x, 'up'), skips[level]);
      x = convBlock(ctx, `dec${level}`, config.decoderConvs[config.depth - 1 - level], x);
    }
    const features = maybeDropout(ctx, x);
    const logits = head(ctx, 'head.seg', features);
    const sdm = config.sdmHead ? tf.tanh(head(ctx, 'head.sdm', features)) : null;
    return sdm ? { logits, sdm, bottleneck, features } : { logits, bottleneck, features };
  });
  return {
    logits: out.logits,
    sdm: out.sdm ?? null,
    bottleneck: out.bottleneck,
    features: out.features,
  };
}
