// Study status counts (renderer, pure): how many studies are labeled, have a proposal waiting,
// were reviewed, are still unlabeled or in progress — for the study list and the review panel.
import type { StudyStatus, StudySummary } from '../../../../shared/contract/project';

export type ReviewCounts = Record<StudyStatus, number>;

export function reviewCounts(studies: readonly Pick<StudySummary, 'status'>[]): ReviewCounts {
  const counts: ReviewCounts = {
    unlabeled: 0,
    'in-progress': 0,
    partial: 0,
    proposal: 0,
    accepted: 0,
    rejected: 0,
    labeled: 0,
  };
  for (const s of studies) counts[s.status]++;
  return counts;
}

/** "Labeled 2 · To review 3 · Accepted 1 · Unlabeled 4" (the other statuses when not zero). */
export function describeCounts(counts: ReviewCounts): string {
  const parts = [
    `Labeled ${counts.labeled}`,
    `To review ${counts.proposal}`,
    `Accepted ${counts.accepted}`,
    `Unlabeled ${counts.unlabeled}`,
  ];
  if (counts.rejected > 0) parts.push(`Rejected ${counts.rejected}`);
  if (counts.partial > 0) parts.push(`Partially labeled ${counts.partial}`);
  if (counts['in-progress'] > 0) parts.push(`In progress ${counts['in-progress']}`);
  return parts.join(' · ');
}
