// Per-case evaluation of a predicted label map against the truth (pure TypeScript, any
// process): Dice, Jaccard and surface distances in voxels and in mm, and their mean over cases.
//
// Empty masks (decided here, reported by `simcvd eval`):
// - Dice and Jaccard always get a number: 0 when exactly one of the two masks is empty (the
//   baselines' "an empty prediction scores 0"), 1 when both are (nothing to find, nothing found;
//   `overlap.ts`'s convention).
// - Distances need a surface on both sides, so when either mask is empty they are `null` and
//   `predEmpty`/`truthEmpty` say why. The baselines' test scripts put 0 there instead, which
//   rewards an empty prediction with a perfect HD95; we do not. `meanMetrics` averages Dice and
//   Jaccard over all cases (an empty prediction counts as 0) and distances over the cases that
//   have them, and reports how many that was.

import type { Dims3, Spacing3 } from '../image/edt';
import { AppError } from '../errors';
import { overlapCounts } from './overlap';
import { surfaceMetrics } from './surface';

/** The metrics every case and the mean report, in report order (the one list; reports derive
 *  their columns from it). */
export const METRIC_KEYS = [
  'dice',
  'jaccard',
  'hd95',
  'asd',
  'assd',
  'hd95Mm',
  'asdMm',
  'assdMm',
] as const;

export interface CaseMetrics {
  dice: number;
  jaccard: number;
  /** 95th percentile of the pooled surface distances of both directions, voxels. */
  hd95: number | null;
  /** Mean surface distance prediction → truth (one-directional, medpy `asd`), voxels. */
  asd: number | null;
  /** Mean of the two directional mean surface distances (medpy `assd`), voxels. */
  assd: number | null;
  hd95Mm: number | null;
  asdMm: number | null;
  assdMm: number | null;
  predEmpty: boolean;
  truthEmpty: boolean;
}

export interface MeanMetrics extends Omit<CaseMetrics, 'predEmpty' | 'truthEmpty'> {
  /** Cases averaged for Dice and Jaccard. */
  cases: number;
  /** Cases averaged for the distances (both masks non-empty); null distances when 0. */
  distanceCases: number;
}

export interface EvaluateOptions {
  /** Label value scored as foreground (default 1). */
  label?: number;
}

export interface LabelMetrics {
  label: number;
  metrics: CaseMetrics;
}

/** The surface-distance metrics: null when either mask is empty. */
const DISTANCE_KEYS = METRIC_KEYS.filter(
  (k): k is Exclude<(typeof METRIC_KEYS)[number], 'dice' | 'jaccard'> =>
    k !== 'dice' && k !== 'jaccard',
);

/** Metrics of one label between a predicted and a true label map on the same grid. */
export function evaluateCase(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  dims: Dims3,
  spacingMm: Spacing3,
  options: EvaluateOptions = {},
): CaseMetrics {
  const label = options.label ?? 1;
  const total = dims[0] * dims[1] * dims[2];
  if (pred.length !== total || truth.length !== total) {
    throw new AppError(
      'BAD_INPUT',
      `Evaluation: prediction (${pred.length} voxels) and truth (${truth.length} voxels) must both match dims ${dims.join('×')} (${total} voxels).`,
    );
  }
  const predMask = binaryOf(pred, label);
  const truthMask = binaryOf(truth, label);
  const c = overlapCounts(predMask, truthMask, 1);
  const union = c.predicted + c.truth - c.intersection;
  const voxels = surfaceMetrics(predMask, truthMask, dims);
  const mm = voxels && surfaceMetrics(predMask, truthMask, dims, spacingMm);
  return {
    dice: union === 0 ? 1 : (2 * c.intersection) / (c.predicted + c.truth),
    jaccard: union === 0 ? 1 : c.intersection / union,
    hd95: voxels?.hd95 ?? null,
    asd: voxels?.asd ?? null,
    assd: voxels?.assd ?? null,
    hd95Mm: mm?.hd95 ?? null,
    asdMm: mm?.asd ?? null,
    assdMm: mm?.assd ?? null,
    predEmpty: c.predicted === 0,
    truthEmpty: c.truth === 0,
  };
}

/**
 * Multi-class maps: metrics of each foreground label, by default every non-zero value present
 * in either map (ascending).
 */
export function evaluateLabels(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  dims: Dims3,
  spacingMm: Spacing3,
  labels: number[] = foregroundLabels([pred, truth]),
): LabelMetrics[] {
  return labels.map((label) => ({
    label,
    metrics: evaluateCase(pred, truth, dims, spacingMm, { label }),
  }));
}

/**
 * Distinct non-zero values of the maps, ascending. Stops at `limit` + 1 values so a grey-level
 * image passed by mistake is cheap to detect (more than `limit` values back).
 */
export function foregroundLabels(maps: ArrayLike<number>[], limit = 255): number[] {
  const seen = new Set<number>();
  for (const map of maps) {
    for (let v = 0; v < map.length; v++) {
      const value = map[v]!;
      if (value !== 0 && !seen.has(value)) {
        seen.add(value);
        if (seen.size > limit) return [...seen].sort((a, b) => a - b);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** Mean over cases: Dice/Jaccard over all of them, distances over those that have them. */
export function meanMetrics(cases: CaseMetrics[]): MeanMetrics {
  if (cases.length === 0)
    throw new AppError('BAD_INPUT', 'Cannot average metrics over zero cases.');
  const withDistances = cases.filter((c) => c.hd95 !== null);
  const avg = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;
  const distances = Object.fromEntries(
    DISTANCE_KEYS.map((key) => [
      key,
      withDistances.length === 0 ? null : avg(withDistances.map((c) => c[key] as number)),
    ]),
  ) as Record<(typeof DISTANCE_KEYS)[number], number | null>;
  return {
    dice: avg(cases.map((c) => c.dice)),
    jaccard: avg(cases.map((c) => c.jaccard)),
    ...distances,
    cases: cases.length,
    distanceCases: withDistances.length,
  };
}

function binaryOf(map: ArrayLike<number>, label: number): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let v = 0; v < map.length; v++) out[v] = map[v] === label ? 1 : 0;
  return out;
}
