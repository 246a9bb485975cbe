import { describe, expect, it } from 'vitest';
import type { LabelVersion, StudyRecord } from '../../../shared/contract/project';
import { resolveTrainingConfig } from '../../trainer/config';
import { planCounts, planTraining } from './plan';

function record(id: string, version?: Partial<LabelVersion>): StudyRecord {
  const label: LabelVersion | undefined = version && {
    id: 'v0001',
    createdAt: '',
    file: 'labels/v0001.nii.gz',
    provenance: { kind: 'human' },
    voxelCounts: { '1': 10 },
    final: true,
    ...version,
  };
  return {
    id,
    source: { kind: 'nifti', path: '/x', importedAt: '' },
    dims: [8, 8, 8],
    spacingMm: [1, 1, 1],
    affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    geometry: {
      qformCode: 1,
      sformCode: 1,
      quatern: [0, 0, 0],
      qoffset: [0, 0, 0],
      qfac: 1,
      pixdim: [1, 1, 1],
      srow: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0],
      xyztUnits: 10,
    },
    imageType: 'int16',
    currentLabel: label ? label.id : null,
    labelVersions: label ? [label] : [],
  };
}

const slices = (k: number[]) => ({ i: [], j: [], k });

describe('the training plan', () => {
  const config = { ...resolveTrainingConfig('tiny'), validationMinLabeled: 3 };

  it('trains on finished and partial labels, learns from every unfinished study, validates on finished ones', () => {
    const studies = [
      record('a', {}),
      record('b', {}),
      record('c', {}),
      record('p', { final: false, annotatedSlices: slices([1, 4, 6]) }),
      record('q', { final: false, annotatedSlices: { i: [2], j: [], k: [] }, voxelCounts: {} }),
      record('draft', { final: false }),
      record('u'),
    ];
    const plan = planTraining(studies, [1], config);
    expect(plan.labeled.map((l) => [l.studyId, l.annotatedSlices?.k.length ?? 'all'])).toEqual([
      ['a', 'all'],
      ['b', 'all'],
      ['p', 3],
      ['q', 0],
    ]);
    expect(plan.validation.map((l) => l.studyId)).toEqual(['c']);
    expect(plan.unlabeled).toEqual(['p', 'q', 'draft', 'u']);
    expect(planCounts(plan)).toEqual({
      full: 2,
      partial: 2,
      partialSlices: 4,
      unlabeled: 4,
      unlabeledOnly: 2,
      validation: 1,
    });
  });

  it('never holds a partial study back for validation, and asks for a label or slices when none exist', () => {
    const partialOnly = [1, 2, 3, 4].map((n) =>
      record(`p${n}`, { final: false, annotatedSlices: slices([n]) }),
    );
    expect(planTraining(partialOnly, [1], config).validation).toEqual([]);
    expect(() => planTraining([record('u'), record('d', { final: false })], [1], config)).toThrow(
      /none with a finished label or annotated slices/,
    );
  });
});
