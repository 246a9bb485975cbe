// Study list filtering and sorting (renderer, pure): what the list shows for a given query.
import type { StudyStatus, StudySummary } from '../../../../shared/contract/project';

export type StudySortKey = 'id' | 'status' | 'labeledVoxels';
export type SortDirection = 'ascending' | 'descending';

export interface StudyQuery {
  text: string;
  status: StudyStatus | 'all';
  sortKey: StudySortKey;
  direction: SortDirection;
}

export const DEFAULT_QUERY: StudyQuery = {
  text: '',
  status: 'all',
  sortKey: 'id',
  direction: 'ascending',
};

/** Workflow order: what still needs work comes first. */
const STATUS_ORDER: Record<StudyStatus, number> = {
  proposal: 0,
  unlabeled: 1,
  'in-progress': 2,
  partial: 3,
  rejected: 4,
  accepted: 5,
  labeled: 6,
};

export const STATUS_LABEL: Record<StudyStatus, string> = {
  unlabeled: 'Unlabeled',
  'in-progress': 'In progress',
  partial: 'Partially labeled',
  proposal: 'Proposal to review',
  accepted: 'Accepted',
  rejected: 'Rejected',
  labeled: 'Labeled',
};

/** The voxels a row shows: its label's, or for a proposal to review the proposal's. */
export function shownVoxels(study: Pick<StudySummary, 'labeledVoxels' | 'proposal'>): number {
  return study.proposal ? study.proposal.foregroundVoxels : study.labeledVoxels;
}

function compare(a: StudySummary, b: StudySummary, key: StudySortKey): number {
  switch (key) {
    case 'status':
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    case 'labeledVoxels':
      return shownVoxels(a) - shownVoxels(b);
    default:
      return 0;
  }
}

export function selectStudies(studies: StudySummary[], query: StudyQuery): StudySummary[] {
  const text = query.text.trim().toLowerCase();
  const sign = query.direction === 'ascending' ? 1 : -1;
  return studies
    .filter((s) => query.status === 'all' || s.status === query.status)
    .filter((s) => !text || s.id.toLowerCase().includes(text))
    .sort(
      (a, b) =>
        sign *
        (compare(a, b, query.sortKey) || a.id.localeCompare(b.id, undefined, { numeric: true })),
    );
}
