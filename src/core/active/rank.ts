// Active-learning ranking (pure): orders candidate studies by how much annotating them should
// help, each with the slice to look at first. Strategies:
// - 'uncertainty': highest mean voxel uncertainty of the current model first [D];
// - 'diverse': greedy — the most uncertain first, then each next maximises
//   uncertainty × distance (in a small feature space) to the studies already chosen, so a
//   batch of picks does not repeat the same kind of case;
// - 'random': a seeded shuffle (the baseline active learning is compared against).
import { RANK_STRATEGY_CHOICES } from '../../shared/contract/studies';
import { createRng } from '../random';

export type RankStrategy = (typeof RANK_STRATEGY_CHOICES)[number];

export interface RankCandidate {
  studyId: string;
  /** Mean voxel uncertainty in [0, 1]. */
  studyScore: number;
  /** Mean uncertainty per slice along k. */
  sliceScores: number[];
  topSlice: number;
  foregroundVoxels: number;
  totalVoxels: number;
}

export interface RankedStudy {
  rank: number;
  studyId: string;
  score: number;
  /** Slice index along k to open first. */
  slice: number;
}

const PROFILE_BINS = 8;

/** Shape of the uncertainty along k (resampled to a few bins) plus relative predicted size. */
function features(c: RankCandidate): number[] {
  const n = c.sliceScores.length;
  const profile = Array.from({ length: PROFILE_BINS }, (_, b) => {
    const from = Math.floor((b * n) / PROFILE_BINS);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / PROFILE_BINS));
    let sum = 0;
    for (let k = from; k < to; k++) sum += c.sliceScores[k] ?? 0;
    return sum / (to - from);
  });
  const peak = Math.max(...profile, 1e-12);
  return [...profile.map((p) => p / peak), (10 * c.foregroundVoxels) / Math.max(1, c.totalVoxels)];
}

function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));
}

export function rankStudies(
  candidates: RankCandidate[],
  strategy: RankStrategy,
  seed = 1,
): RankedStudy[] {
  // Ties break by study ID so the order never depends on input order.
  const sorted = [...candidates].sort(
    (a, b) => b.studyScore - a.studyScore || a.studyId.localeCompare(b.studyId),
  );
  let order: RankCandidate[];
  if (strategy === 'uncertainty') {
    order = sorted;
  } else if (strategy === 'random') {
    const rng = createRng(seed);
    order = [...candidates].sort((a, b) => a.studyId.localeCompare(b.studyId));
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  } else {
    order = [];
    const remaining = [...sorted];
    const feats = new Map(candidates.map((c) => [c.studyId, features(c)]));
    while (remaining.length > 0) {
      let bestIndex = 0;
      let bestValue = -Infinity;
      remaining.forEach((c, index) => {
        const nearest =
          order.length === 0
            ? 1
            : Math.min(...order.map((o) => distance(feats.get(c.studyId)!, feats.get(o.studyId)!)));
        const value = c.studyScore * nearest;
        if (value > bestValue) {
          bestValue = value;
          bestIndex = index;
        }
      });
      order.push(remaining.splice(bestIndex, 1)[0]!);
    }
  }
  return order.map((c, index) => ({
    rank: index + 1,
    studyId: c.studyId,
    score: c.studyScore,
    slice: c.topSlice,
  }));
}
