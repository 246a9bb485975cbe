// Unit tests of the export panel's pure logic (Node): exportable studies, the default folder
// outside the project, what blocks Export, the request params and the summary line.
import { describe, expect, it } from 'vitest';
import type { StudyStatus, StudySummary } from '../../../../shared/contract/project';
import {
  defaultExportFolder,
  exportableStudies,
  exportParams,
  exportProblem,
  fileName,
  summaryHeadline,
  type ExportChoices,
} from './exportRequest';

function summary(id: string, status: StudyStatus, currentLabel: string | null): StudySummary {
  return {
    id,
    status,
    dims: [4, 4, 2],
    spacingMm: [1, 1, 1],
    sourceKind: 'nifti',
    currentLabel,
    labelVersionCount: currentLabel ? 1 : 0,
    labeledVoxels: currentLabel ? 5 : 0,
    coverage: 'none',
    annotatedSlices: { i: 0, j: 0, k: 0 },
  };
}

const STUDIES = [
  summary('a', 'labeled', 'v0001'),
  summary('b', 'in-progress', 'v0002'),
  summary('c', 'accepted', 'v0001'),
  summary('d', 'rejected', null), // proposal rejected, nothing to export
  summary('e', 'proposal', null),
  summary('f', 'unlabeled', null),
];

const choices = (patch: Partial<ExportChoices> = {}): ExportChoices => ({
  scope: 'all',
  selected: [],
  include: { human: true, accepted: true },
  outDir: '/data/proj-export',
  partial: { enabled: false, ignoreLabel: 255, annotatedMasks: false },
  ...patch,
});

const PARTIAL = { ...summary('g', 'partial', 'v0003'), coverage: 'partial' as const };

describe('export request', () => {
  it('offers only studies with a finished label', () => {
    expect(exportableStudies(STUDIES).map((s) => s.id)).toEqual(['a', 'c']);
  });

  it('offers partial labels too when they go out with an ignore label', () => {
    const all = [...STUDIES, PARTIAL];
    expect(exportableStudies(all).map((s) => s.id)).toEqual(['a', 'c']);
    expect(exportableStudies(all, true).map((s) => s.id)).toEqual(['a', 'c', 'g']);
  });

  it('sends the ignore label and the annotated masks, refusing a label class value', () => {
    const partial = { enabled: true, ignoreLabel: 255, annotatedMasks: true };
    const exportable = exportableStudies([...STUDIES, PARTIAL], true);
    expect(exportParams(choices({ partial }), exportable)).toEqual({
      outDir: '/data/proj-export',
      include: { human: true, accepted: true },
      ignoreLabel: 255,
      annotatedMasks: true,
    });
    const labels = [{ value: 1, name: 'target', color: '#ff0000' }];
    expect(exportProblem(choices({ partial }), exportable, labels)).toBeNull();
    expect(
      exportProblem(choices({ partial: { ...partial, ignoreLabel: 1 } }), exportable, labels),
    ).toMatch(/value of label class "target"/);
    expect(
      exportProblem(choices({ partial: { ...partial, ignoreLabel: 300 } }), exportable, labels),
    ).toMatch(/from 1 to 255/);
  });

  it('puts the default folder beside the project, not inside it', () => {
    expect(defaultExportFolder('/home/u/proj')).toBe('/home/u/proj-export');
    expect(defaultExportFolder('/home/u/proj/')).toBe('/home/u/proj-export');
    expect(defaultExportFolder('C:\\Users\\u\\proj\\')).toBe('C:\\Users\\u\\proj-export');
  });

  it('says what blocks an export', () => {
    const exportable = exportableStudies(STUDIES);
    expect(exportProblem(choices(), exportable)).toBeNull();
    expect(exportProblem(choices(), [])).toMatch(/No study has a finished label/);
    expect(exportProblem(choices({ scope: 'selected', selected: ['b'] }), exportable)).toBe(
      'Select at least one study.',
    );
    expect(
      exportProblem(choices({ include: { human: false, accepted: false } }), exportable),
    ).toMatch(/Include human labels/);
    expect(exportProblem(choices({ outDir: '  ' }), exportable)).toBe('Choose an export folder.');
  });

  it('sends the chosen studies only when some are selected, dropping ones no longer exportable', () => {
    const exportable = exportableStudies(STUDIES);
    expect(exportParams(choices({ outDir: ' /x ' }), exportable)).toEqual({
      outDir: '/x',
      include: { human: true, accepted: true },
    });
    expect(
      exportParams(
        choices({
          scope: 'selected',
          selected: ['c', 'b', 'a'],
          include: { human: false, accepted: true },
        }),
        exportable,
      ),
    ).toEqual({
      outDir: '/data/proj-export',
      include: { human: false, accepted: true },
      studies: ['a', 'c'],
    });
  });

  it('summarizes what was written', () => {
    const file = {
      studyId: 'a',
      labelVersion: 'v0001',
      origin: 'human' as const,
      path: '/x/a.nii.gz',
    };
    expect(summaryHeadline({ outDir: '/x', files: [file], skipped: [] })).toBe(
      'Wrote 1 label file to /x',
    );
    expect(
      summaryHeadline({
        outDir: '/x',
        files: [file, file],
        skipped: [{ studyId: 'b', reason: 'draft' }],
      }),
    ).toBe('Wrote 2 label files to /x; skipped 1 study');
    expect(fileName('C:\\out\\a.nii.gz')).toBe('a.nii.gz');
    expect(fileName('/out/b.nii.gz')).toBe('b.nii.gz');
  });
});
