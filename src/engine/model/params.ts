// V-Net parameters as explicit tf.Variables (engine, wherever TF.js runs): seeded
// initialisation, counting, copies for the EMA teacher, the EMA update and disposal.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../core/errors';
import { createRng, type Rng } from '../../core/random';
import { resolveVNetConfig, type ResolvedVNetConfig, type VNetConfig } from './config';
import {
  buildParamSpecs,
  countTrainable,
  isTrainableRole,
  specSize,
  type ParamSpec,
} from './specs';

export interface VNetParams {
  readonly config: ResolvedVNetConfig;
  readonly specs: readonly ParamSpec[];
  /** Keyed by ParamSpec.key. */
  readonly vars: ReadonlyMap<string, tf.Variable>;
}

export interface CreateParamsOptions {
  /** false for EMA teachers, so tf.variableGrads and optimizers never pick them up. */
  trainable?: boolean;
  /** Prefix of the tf.Variable names, which must be unique in the engine; auto if omitted. */
  name?: string;
}

let instanceCounter = 0;
function uniquePrefix(name: string | undefined): string {
  instanceCounter += 1;
  return `${name ?? 'vnet'}#${instanceCounter}`;
}

/** PyTorch's default (kaiming_uniform a=√5) gives U(±1/√fanIn) for weights and biases alike;
 *  kaiming-normal (fan-in, ReLU gain) draws kernels from N(0, 2/fanIn) and keeps the default
 *  bias. BatchNorm starts at γ=1, β=0, mean 0, variance 1. */
function initialValues(spec: ParamSpec, config: ResolvedVNetConfig, rng: Rng): Float32Array {
  const values = new Float32Array(specSize(spec));
  switch (spec.role) {
    case 'gamma':
    case 'movingVariance':
      values.fill(1);
      return values;
    case 'beta':
    case 'movingMean':
      return values;
    case 'kernel':
      if (config.init === 'kaiming-normal') {
        const std = Math.sqrt(2 / spec.fanIn);
        for (let i = 0; i < values.length; i++) values[i] = std * rng.normal();
        return values;
      }
      break;
    case 'bias':
      break;
  }
  const bound = 1 / Math.sqrt(spec.fanIn);
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-bound, bound);
  return values;
}

/** A variable holding `initial`'s data; `initial` itself is released (the variable keeps its own
 *  reference), so disposing the variable frees everything this allocated. */
export function variableFrom<R extends tf.Rank>(
  initial: tf.Tensor<R>,
  trainable: boolean,
  name?: string,
): tf.Variable<R> {
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}

function makeVars(
  specs: readonly ParamSpec[],
  valueOf: (spec: ParamSpec) => tf.Tensor,
  options: CreateParamsOptions,
): Map<string, tf.Variable> {
  const prefix = uniquePrefix(options.name);
  const trainable = options.trainable ?? true;
  const vars = new Map<string, tf.Variable>();
  for (const spec of specs) {
    vars.set(
      spec.key,
      variableFrom(valueOf(spec), trainable && isTrainableRole(spec.role), `${prefix}/${spec.key}`),
    );
  }
  return vars;
}

/** Fresh weights; the same config and seed always give the same values. */
export function initParams(
  config: VNetConfig,
  seed: number,
  options: CreateParamsOptions = {},
): VNetParams {
  const resolved = resolveVNetConfig(config);
  const specs = buildParamSpecs(resolved);
  const rng = createRng(seed);
  const vars = makeVars(
    specs,
    (spec) => tf.tensor(initialValues(spec, resolved, rng), spec.shape, 'float32'),
    options,
  );
  return { config: resolved, specs, vars };
}

/** Wraps loaded tensors (e.g. from a checkpoint) as params; the tensors stay owned by the caller. */
export function paramsFromTensors(
  config: VNetConfig,
  tensors: Record<string, tf.Tensor>,
  options: CreateParamsOptions = {},
): VNetParams {
  const resolved = resolveVNetConfig(config);
  const specs = buildParamSpecs(resolved);
  for (const spec of specs) {
    const t = tensors[spec.key];
    if (!t) throw new AppError('CORRUPT_FILE', `Weights are missing "${spec.key}".`);
    if (!tf.util.arraysEqual(t.shape, spec.shape)) {
      throw new AppError(
        'CORRUPT_FILE',
        `Weight "${spec.key}" has shape [${t.shape}] but the config needs [${spec.shape}].`,
      );
    }
  }
  const vars = makeVars(specs, (spec) => tf.clone(tensors[spec.key]), options);
  return { config: resolved, specs, vars };
}

export function getVar(params: VNetParams, key: string): tf.Variable {
  const v = params.vars.get(key);
  if (!v) throw new AppError('INTERNAL', `V-Net parameter "${key}" does not exist.`);
  return v;
}

/** Trainable scalars (kernels, biases, BN γ/β), the count PyTorch reports. */
export function countParameters(params: VNetParams | readonly ParamSpec[]): number {
  return countTrainable('specs' in params ? params.specs : params);
}

/** The variables an optimizer should update, in spec order. */
export function trainableVariables(params: VNetParams): tf.Variable[] {
  return params.specs.filter((s) => isTrainableRole(s.role)).map((s) => getVar(params, s.key));
}

/** Independent copy (teacher initialisation). tf.variable shares the immutable data until the
 *  first assign, so this costs no memory up front. */
export function copyParams(source: VNetParams, options: CreateParamsOptions = {}): VNetParams {
  const vars = makeVars(source.specs, (spec) => tf.clone(getVar(source, spec.key)), options);
  return { config: source.config, specs: source.specs, vars };
}

/** 'ema' averages BN moving statistics like the weights; 'copy' takes the student's. */
export type MovingStatsPolicy = 'ema' | 'copy';

export interface EmaOptions {
  /** [D] 'ema'. UA-MT averages only parameters() and lets the teacher's running stats drift
   *  on its own forward passes; our teacher uses batch statistics, so its moving stats only
   *  matter if the teacher is ever evaluated, and the EMA of the student's is the consistent
   *  choice there. */
  movingStats?: MovingStatsPolicy;
}

/**
 * Mean-teacher update θ_t ← a·θ_t + (1 − a)·θ_s with a = min(1 − 1/(step + 1), decay)
 * (UA-MT/DTC; `step` counts completed student updates from 0). Returns a.
 */
export function emaUpdate(
  teacher: VNetParams,
  student: VNetParams,
  decay: number,
  step: number,
  options: EmaOptions = {},
): number {
  if (teacher.specs.length !== student.specs.length) {
    throw new AppError('INTERNAL', 'EMA teacher and student have different architectures.');
  }
  const a = Math.min(1 - 1 / (step + 1), decay);
  const policy = options.movingStats ?? 'ema';
  tf.tidy(() => {
    for (const spec of teacher.specs) {
      const t = getVar(teacher, spec.key);
      const s = getVar(student, spec.key);
      if (!isTrainableRole(spec.role) && policy === 'copy') {
        t.assign(s);
      } else {
        t.assign(tf.add(tf.mul(t, a), tf.mul(s, 1 - a)));
      }
    }
  });
  return a;
}

/** Overwrites every value of `target` with `source`'s (same architecture). */
export function assignParams(target: VNetParams, source: VNetParams): void {
  tf.tidy(() => {
    for (const spec of target.specs) getVar(target, spec.key).assign(getVar(source, spec.key));
  });
}

export function disposeParams(params: VNetParams): void {
  for (const v of params.vars.values()) v.dispose();
}
