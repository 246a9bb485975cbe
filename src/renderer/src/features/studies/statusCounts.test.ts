// Review progress counts from study statuses.
import { describe, expect, it } from 'vitest';
import { describeCounts, reviewCounts } from './statusCounts';

describe('reviewCounts', () => {
  it('counts every status and describes them in workflow words', () => {
    const counts = reviewCounts([
      { status: 'labeled' },
      { status: 'proposal' },
      { status: 'proposal' },
      { status: 'accepted' },
      { status: 'unlabeled' },
    ]);
    expect(counts).toEqual({
      labeled: 1,
      proposal: 2,
      accepted: 1,
      rejected: 0,
      partial: 0,
      unlabeled: 1,
      'in-progress': 0,
    });
    expect(describeCounts(counts)).toBe('Labeled 1 · To review 2 · Accepted 1 · Unlabeled 1');
    expect(describeCounts({ ...counts, rejected: 2 })).toMatch(/Rejected 2$/);
    expect(describeCounts({ ...counts, 'in-progress': 3 })).toMatch(/In progress 3$/);
  });
});
