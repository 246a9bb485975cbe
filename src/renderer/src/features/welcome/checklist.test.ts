// The demo's checklist logic (Node): each step ticks from its own evidence only.
import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../../../shared/contract/project';
import { checklistDone, studiesWithLabels } from './checklist';

function study(id: string, status: StudySummary['status'], versions: number): StudySummary {
  return {
    id,
    status,
    dims: [16, 16, 16],
    spacingMm: [1, 1, 1],
    sourceKind: 'nifti',
    currentLabel: versions ? `v${versions}` : null,
    labelVersionCount: versions,
    labeledVoxels: versions ? 10 : 0,
    coverage: 'none',
    annotatedSlices: { i: 0, j: 0, k: 0 },
  };
}

describe('checklistDone', () => {
  const fresh = [study('a', 'labeled', 1), study('b', 'unlabeled', 0), study('c', 'proposal', 0)];

  it('starts with nothing done on a fresh demo (imported labels do not count)', () => {
    expect(
      checklistDone({ studies: fresh, humanLabeledStudies: 0, modelProfiles: [], exported: false }),
    ).toEqual({
      annotate: false,
      train: false,
      review: false,
      export: false,
    });
  });

  it('ticks each step from its own evidence', () => {
    expect(
      checklistDone({ studies: fresh, humanLabeledStudies: 1, modelProfiles: [], exported: false })
        .annotate,
    ).toBe(true);
    expect(
      checklistDone({
        studies: fresh,
        humanLabeledStudies: 0,
        modelProfiles: ['quick', 'tiny'],
        exported: false,
      }).train,
    ).toBe(true);
    const reviewed = [...fresh, study('d', 'accepted', 1)];
    expect(
      checklistDone({
        studies: reviewed,
        humanLabeledStudies: 0,
        modelProfiles: [],
        exported: false,
      }),
    ).toEqual({
      annotate: false,
      train: false,
      review: true,
      export: false,
    });
    expect(
      checklistDone({ studies: fresh, humanLabeledStudies: 0, modelProfiles: [], exported: true })
        .export,
    ).toBe(true);
  });

  it('does not tick "Train (quick)" for a tiny smoke-test run', () => {
    expect(
      checklistDone({
        studies: fresh,
        humanLabeledStudies: 0,
        modelProfiles: ['tiny'],
        exported: false,
      }).train,
    ).toBe(false);
  });

  it('asks for the history of labeled studies only', () => {
    expect(studiesWithLabels([...fresh, study('e', 'in-progress', 2)])).toEqual(['a', 'e']);
  });
});
