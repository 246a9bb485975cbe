// Unit tests for study list filtering and sorting (pure; runs in Node).
import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../../../shared/contract/project';
import { DEFAULT_QUERY, selectStudies } from './studyFilters';

const study = (id: string, status: StudySummary['status'], labeledVoxels = 0): StudySummary => ({
  id,
  status,
  dims: [2, 2, 2],
  spacingMm: [1, 1, 1],
  sourceKind: 'nifti',
  currentLabel: status === 'unlabeled' ? null : 'v0001',
  labelVersionCount: status === 'unlabeled' ? 0 : 1,
  labeledVoxels,
  coverage: 'none',
  annotatedSlices: { i: 0, j: 0, k: 0 },
});

const studies = [
  study('case_10', 'labeled', 50),
  study('case_2', 'unlabeled'),
  study('case_1', 'in-progress', 7),
  study('other', 'labeled', 3),
];

describe('selectStudies', () => {
  it('sorts ids in natural order by default', () => {
    expect(selectStudies(studies, DEFAULT_QUERY).map((s) => s.id)).toEqual([
      'case_1',
      'case_2',
      'case_10',
      'other',
    ]);
  });

  it('filters by status and text, and sorts by workflow status or voxels descending', () => {
    const q = { ...DEFAULT_QUERY, status: 'labeled' as const, text: 'CASE' };
    expect(selectStudies(studies, q).map((s) => s.id)).toEqual(['case_10']);
    const byStatus = selectStudies(studies, { ...DEFAULT_QUERY, sortKey: 'status' });
    expect(byStatus.map((s) => s.status)).toEqual([
      'unlabeled',
      'in-progress',
      'labeled',
      'labeled',
    ]);
    const byVoxels = selectStudies(studies, {
      ...DEFAULT_QUERY,
      sortKey: 'labeledVoxels',
      direction: 'descending',
    });
    expect(byVoxels.map((s) => s.id)).toEqual(['case_10', 'case_1', 'other', 'case_2']);
  });
});
