// DICOM SEG export choices → API request (renderer, pure): per study whether it can get a SEG
// and, for STOW-RS, whether it can go back to the PACS it came from (and why not); what blocks
// Export; the `pacs.exportSeg` params; and the result's headline and lines.
import type { ApiParams } from '../../../../shared/contract/api';
import type { PacsExportResult, SegTarget } from '../../../../shared/contract/pacs';

export type SegDestination = 'folder' | 'stow';

export interface SegStudyRow {
  studyId: string;
  ok: boolean;
  /** Where it goes (ok) or why it cannot (not ok). */
  text: string;
}

/** Targets for the studies to export, in their order; a study the back end did not list is not ok. */
export function segStudyRows(
  studyIds: string[],
  targets: SegTarget[],
  destination: SegDestination,
): SegStudyRow[] {
  const byId = new Map(targets.map((t) => [t.studyId, t]));
  return studyIds.map((studyId) => {
    const t = byId.get(studyId);
    if (!t) return { studyId, ok: false, text: 'not in the project any more' };
    if (!t.possible)
      return { studyId, ok: false, text: t.reason ?? 'it has no DICOM reference for a SEG' };
    if (destination === 'folder') return { studyId, ok: true, text: 'SEG file' };
    if (!t.dicomweb)
      return {
        studyId,
        ok: false,
        text: 'imported from a local DICOM folder, not a PACS: export it to a folder',
      };
    return { studyId, ok: true, text: `to ${t.dicomweb.sourceId ?? t.dicomweb.baseUrl}` };
  });
}

export interface SegChoices {
  destination: SegDestination;
  outDir: string;
  /** The studies the Studies box chose (all exportable, or the ticked ones). */
  studyIds: string[];
  /** Only when some but not all studies are chosen by hand. */
  explicit: boolean;
  include: { human: boolean; accepted: boolean };
}

/** What stops a SEG export; null when it can run. */
export function segExportProblem(choices: SegChoices, rows: SegStudyRow[]): string | null {
  if (choices.studyIds.length === 0)
    return choices.explicit
      ? 'Select at least one study.'
      : 'No study has a finished label yet: tick "Annotation finished" or accept a proposal.';
  if (!choices.include.human && !choices.include.accepted)
    return 'Include human labels, accepted proposals or both.';
  if (choices.destination === 'folder' && !choices.outDir.trim()) return 'Choose an export folder.';
  if (!rows.some((r) => r.ok))
    return choices.destination === 'stow'
      ? 'None of these studies came from a PACS that can take it back (see why below).'
      : 'None of these studies can get a DICOM SEG (see why below).';
  return null;
}

export function segExportParams(choices: SegChoices): ApiParams<'pacs.exportSeg'> {
  const { human, accepted } = choices.include;
  return {
    ...(choices.destination === 'folder' ? { outDir: choices.outDir.trim() } : { stow: true }),
    ...(choices.explicit ? { studies: [...choices.studyIds] } : {}),
    ...(human && !accepted ? { only: 'human' as const } : {}),
    ...(accepted && !human ? { only: 'accepted' as const } : {}),
  };
}

export function segSummaryHeadline(result: PacsExportResult): string {
  const n = result.exported.length;
  const sent = result.exported.filter((e) => e.server).length;
  const skipped = result.skipped.length;
  const verb = sent === n && n > 0 ? 'Sent' : 'Exported';
  return (
    `${verb} ${n} DICOM SEG${n === 1 ? '' : 's'}` +
    (skipped > 0 ? `; skipped ${skipped} ${skipped === 1 ? 'study' : 'studies'}` : '')
  );
}

export function segExportedLine(e: PacsExportResult['exported'][number]): string {
  const where = [e.server && `stored on ${e.server}`, e.path && `written to ${e.path}`]
    .filter(Boolean)
    .join(', ');
  return `${e.studyId} (${e.labelVersion}): ${e.segments} segment${e.segments === 1 ? '' : 's'}, ${e.frames} frame${e.frames === 1 ? '' : 's'}${where ? `, ${where}` : ''}`;
}
