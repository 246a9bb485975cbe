// Unit tests of the DICOM SEG export's pure logic (Node): which studies can be sent back to
// their PACS and why the others cannot, what blocks Export, the exportSeg params, the summary.
import { describe, expect, it } from 'vitest';
import type { SegTarget } from '../../../../shared/contract/pacs';
import {
  segExportedLine,
  segExportParams,
  segExportProblem,
  segStudyRows,
  segSummaryHeadline,
  type SegChoices,
} from './segExportRequest';

const TARGETS: SegTarget[] = [
  { studyId: 'pacs', possible: true, dicomweb: { sourceId: 'orthanc', baseUrl: 'http://o/dw' } },
  { studyId: 'url', possible: true, dicomweb: { baseUrl: 'http://p/dw' } },
  { studyId: 'folder', possible: true },
  { studyId: 'nifti', possible: false, reason: 'it was imported from NIfTI' },
];
const IDS = ['pacs', 'url', 'folder', 'nifti', 'gone'];

const choices = (patch: Partial<SegChoices> = {}): SegChoices => ({
  destination: 'stow',
  outDir: '/out',
  studyIds: IDS,
  explicit: false,
  include: { human: true, accepted: true },
  ...patch,
});

describe('SEG export request', () => {
  it('says which studies can be sent to their PACS and why the others cannot', () => {
    expect(segStudyRows(IDS, TARGETS, 'stow')).toEqual([
      { studyId: 'pacs', ok: true, text: 'to orthanc' },
      { studyId: 'url', ok: true, text: 'to http://p/dw' },
      {
        studyId: 'folder',
        ok: false,
        text: 'imported from a local DICOM folder, not a PACS: export it to a folder',
      },
      { studyId: 'nifti', ok: false, text: 'it was imported from NIfTI' },
      { studyId: 'gone', ok: false, text: 'not in the project any more' },
    ]);
    expect(segStudyRows(IDS, TARGETS, 'folder').map((r) => r.ok)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('says what blocks an export', () => {
    const rows = segStudyRows(IDS, TARGETS, 'stow');
    expect(segExportProblem(choices(), rows)).toBeNull();
    expect(segExportProblem(choices({ studyIds: [] }), [])).toMatch(/No study has a finished/);
    expect(segExportProblem(choices({ studyIds: [], explicit: true }), [])).toBe(
      'Select at least one study.',
    );
    expect(segExportProblem(choices({ include: { human: false, accepted: false } }), rows)).toMatch(
      /Include human labels/,
    );
    const local = segStudyRows(['folder'], TARGETS, 'stow');
    expect(segExportProblem(choices({ studyIds: ['folder'] }), local)).toMatch(
      /None of these studies came from a PACS/,
    );
    expect(segExportProblem(choices({ destination: 'folder', outDir: ' ' }), rows)).toBe(
      'Choose an export folder.',
    );
  });

  it('builds the exportSeg params', () => {
    expect(segExportParams(choices())).toEqual({ stow: true });
    expect(
      segExportParams(
        choices({
          destination: 'folder',
          outDir: ' /x ',
          explicit: true,
          studyIds: ['pacs'],
          include: { human: true, accepted: false },
        }),
      ),
    ).toEqual({ outDir: '/x', studies: ['pacs'], only: 'human' });
    expect(segExportParams(choices({ include: { human: false, accepted: true } })).only).toBe(
      'accepted',
    );
  });

  it('sums up what was sent and skipped', () => {
    const sent = {
      studyId: 'pacs',
      labelVersion: 'v0002',
      sopInstanceUid: '2.25.1',
      seriesInstanceUid: '2.25.2',
      segments: 1,
      frames: 7,
      server: 'Test PACS (http://o/dw)',
    };
    expect(segSummaryHeadline({ exported: [sent], skipped: [] })).toBe('Sent 1 DICOM SEG');
    expect(
      segSummaryHeadline({
        exported: [{ ...sent, server: undefined, path: '/x/a.seg.dcm' }],
        skipped: [{ studyId: 'nifti', reason: 'no DICOM SEG' }],
      }),
    ).toBe('Exported 1 DICOM SEG; skipped 1 study');
    expect(segExportedLine(sent)).toBe(
      'pacs (v0002): 1 segment, 7 frames, stored on Test PACS (http://o/dw)',
    );
  });
});
