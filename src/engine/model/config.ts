// V-Net configuration (engine, plain Node): the options of the segmentation network, the paper
// preset and small CPU/test profiles, and validation that turns a partial config into a
// complete one. Tags follow docs/simcvd.md: [P] paper, [B] UA-MT/DTC baselines, [D] our default.
import { AppError } from '../../core/errors';

/** How conv weights are drawn. UA-MT/DTC leave PyTorch's defaults in place (their explicit
 *  Kaiming-normal initialiser is commented out), so that is the default [B]. */
export type VNetInit = 'pytorch-default' | 'kaiming-normal';

export interface VNetConfig {
  inChannels: number;
  /** Segmentation classes including background; 2 = binary [D]. */
  numClasses: number;
  /** Channels of the first stage; 16 in the paper [B]. */
  baseFilters: number;
  /** Number of stride-2 down-sampling stages; 4 in the paper [B]. */
  depth?: number;
  /** Convs per encoder stage, depth + 1 entries; 1,2,3,3,3 in the paper [B]. */
  stageConvs?: number[];
  /** Convs per decoder stage from the deepest up, depth entries; 3,3,2,1 in the paper [B]. */
  decoderConvs?: number[];
  /** Channel-wise dropout rate at the bottleneck and after the last decoder block; 0.5 [B]. */
  dropoutRate: number;
  /** 'batch' = BatchNorm after every conv as in the paper [B]; 'none' = plain conv + ReLU. */
  normalization?: 'batch' | 'none';
  /** Signed-distance head (1×1×1 conv + tanh), one channel per foreground class [P][B]. */
  sdmHead: boolean;
  /** [B] see VNetInit. */
  init?: VNetInit;
  /** BatchNorm epsilon; PyTorch's 1e-5 [B]. */
  bnEpsilon?: number;
  /** Weight of the new batch statistic in the moving averages; PyTorch's 0.1 [B]. */
  bnMomentum?: number;
}

export type ResolvedVNetConfig = Required<VNetConfig>;

export const VNET_PRESETS = {
  /** The network of the paper: ≈ 9.45 M parameters, patch 112×112×80 [P][B]. */
  paper: {
    inChannels: 1,
    numClasses: 2,
    baseFilters: 16,
    depth: 4,
    dropoutRate: 0.5,
    normalization: 'batch',
    sdmHead: true,
  },
  /** Half width for CPU runs (patches such as 64×64×48). */
  quick: {
    inChannels: 1,
    numClasses: 2,
    baseFilters: 8,
    depth: 4,
    dropoutRate: 0.5,
    normalization: 'batch',
    sdmHead: true,
  },
  /** Tests: tiny width and 3 stages so a 16³ or 8³ patch works. */
  tiny: {
    inChannels: 1,
    numClasses: 2,
    baseFilters: 4,
    depth: 3,
    dropoutRate: 0.5,
    normalization: 'batch',
    sdmHead: true,
  },
} as const satisfies Record<string, VNetConfig>;

export type VNetPresetName = keyof typeof VNET_PRESETS;

/** One signed-distance channel per foreground class. */
export function numSdmChannels(config: Pick<VNetConfig, 'numClasses'>): number {
  return config.numClasses - 1;
}

/** Encoder stage i has i+1 convs capped at 3 (gives 1,2,3,3,3 at depth 4). */
function defaultStageConvs(depth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, i) => Math.min(i + 1, 3));
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('BAD_INPUT', `V-Net ${what} must be a positive integer, got ${value}.`);
  }
  return value;
}

/** Fills defaults and rejects configs that cannot build a network. */
export function resolveVNetConfig(config: VNetConfig): ResolvedVNetConfig {
  positiveInt(config.inChannels, 'inChannels');
  positiveInt(config.baseFilters, 'baseFilters');
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net numClasses counts the background too and must be an integer ≥ 2, got ${config.numClasses}.`,
    );
  }
  const depth = positiveInt(config.depth ?? 4, 'depth');
  const stageConvs = config.stageConvs ?? defaultStageConvs(depth);
  // The decoder mirrors the encoder stages above the bottleneck (3,3,2,1 for 1,2,3,3,3).
  const decoderConvs = config.decoderConvs ?? stageConvs.slice(0, depth).reverse();
  if (stageConvs.length !== depth + 1) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net stageConvs needs depth + 1 = ${depth + 1} entries, got ${stageConvs.length}.`,
    );
  }
  if (decoderConvs.length !== depth) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net decoderConvs needs depth = ${depth} entries, got ${decoderConvs.length}.`,
    );
  }
  stageConvs.forEach((n) => positiveInt(n, 'stageConvs entry'));
  decoderConvs.forEach((n) => positiveInt(n, 'decoderConvs entry'));
  if (!(config.dropoutRate >= 0 && config.dropoutRate < 1)) {
    throw new AppError(
      'BAD_INPUT',
      `V-Net dropoutRate must be in [0, 1), got ${config.dropoutRate}.`,
    );
  }
  const normalization = config.normalization ?? 'batch';
  if (normalization !== 'batch' && normalization !== 'none') {
    throw new AppError(
      'BAD_INPUT',
      `V-Net normalization must be 'batch' or 'none', got ${String(normalization)}.`,
    );
  }
  const init = config.init ?? 'pytorch-default';
  if (init !== 'pytorch-default' && init !== 'kaiming-normal') {
    throw new AppError(
      'BAD_INPUT',
      `V-Net init must be 'pytorch-default' or 'kaiming-normal', got ${String(init)}.`,
    );
  }
  const bnMomentum = config.bnMomentum ?? 0.1;
  if (!(bnMomentum > 0 && bnMomentum <= 1)) {
    throw new AppError('BAD_INPUT', `V-Net bnMomentum must be in (0, 1], got ${bnMomentum}.`);
  }
  const bnEpsilon = config.bnEpsilon ?? 1e-5;
  if (!(bnEpsilon > 0)) {
    throw new AppError('BAD_INPUT', `V-Net bnEpsilon must be > 0, got ${bnEpsilon}.`);
  }
  return {
    inChannels: config.inChannels,
    numClasses: config.numClasses,
    baseFilters: config.baseFilters,
    depth,
    stageConvs: [...stageConvs],
    decoderConvs: [...decoderConvs],
    dropoutRate: config.dropoutRate,
    normalization,
    sdmHead: Boolean(config.sdmHead),
    init,
    bnEpsilon,
    bnMomentum,
  };
}

/** Every spatial size of a patch must be a multiple of this (one halving per stage). */
export function spatialMultiple(config: Pick<ResolvedVNetConfig, 'depth'>): number {
  return 2 ** config.depth;
}

/** Channels at encoder level `level` (0 = full resolution). */
export function levelChannels(config: ResolvedVNetConfig, level: number): number {
  return config.baseFilters * 2 ** level;
}
