import { describe, expect, it } from 'vitest';
import { rankStudies, type RankCandidate } from './rank';

function candidate(studyId: string, studyScore: number, peak: number, fg = 100): RankCandidate {
  const sliceScores = Array.from({ length: 16 }, (_, k) =>
    k === peak ? studyScore * 4 : studyScore / 2,
  );
  return {
    studyId,
    studyScore,
    sliceScores,
    topSlice: peak,
    foregroundVoxels: fg,
    totalVoxels: 4096,
  };
}

describe('active-learning ranking', () => {
  const studies = [
    candidate('a', 0.1, 3),
    candidate('b', 0.3, 3),
    candidate('c', 0.29, 3),
    candidate('d', 0.2, 12, 900),
  ];

  it('uncertainty: most uncertain first, with the slice to open', () => {
    expect(rankStudies(studies, 'uncertainty').map((r) => [r.studyId, r.slice])).toEqual([
      ['b', 3],
      ['c', 3],
      ['d', 12],
      ['a', 3],
    ]);
  });

  it('diverse: the second pick is a different kind of case, not the near-duplicate', () => {
    const order = rankStudies(studies, 'diverse').map((r) => r.studyId);
    expect(order[0]).toBe('b');
    expect(order[1]).toBe('d');
  });

  it('random: deterministic for a seed and independent of input order', () => {
    const one = rankStudies(studies, 'random', 7).map((r) => r.studyId);
    expect(rankStudies([...studies].reverse(), 'random', 7).map((r) => r.studyId)).toEqual(one);
    const seeds = new Set(
      [1, 2, 3, 4, 5, 6].map((s) =>
        rankStudies(studies, 'random', s)
          .map((r) => r.studyId)
          .join(),
      ),
    );
    expect(seeds.size).toBeGreaterThan(1);
  });
});
