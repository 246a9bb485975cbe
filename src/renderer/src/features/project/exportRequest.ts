// Export choices → API request (renderer, pure): which studies can be exported, the default
// folder, why Export is not possible yet, the `labels.export` params and the summary line.
import type { ApiParams, ApiResult } from '../../../../shared/contract/api';
import type { StudySummary } from '../../../../shared/contract/project';

export type ExportScope = 'all' | 'selected';

export interface ExportChoices {
  scope: ExportScope;
  /** Study IDs ticked in the checklist (used when scope is "selected"). */
  selected: string[];
  include: { human: boolean; accepted: boolean };
  outDir: string;
}

export type ExportResult = ApiResult<'labels.export'>;

/** Studies whose current label is finished: "labeled" (human) or "accepted" (from a model). */
export function exportableStudies(studies: StudySummary[]): StudySummary[] {
  return studies.filter(
    (s) => s.currentLabel !== null && (s.status === 'labeled' || s.status === 'accepted'),
  );
}

/**
 * A sibling of the project folder: the back end refuses folders inside the project, whose
 * files are its own. Works for both path styles because only a suffix is added.
 */
export function defaultExportFolder(projectRoot: string): string {
  return `${projectRoot.replace(/[\\/]+$/, '')}-export`;
}

function chosenIds(choices: ExportChoices, exportable: StudySummary[]): string[] {
  const wanted = new Set(choices.selected);
  return exportable.filter((s) => wanted.has(s.id)).map((s) => s.id);
}

/** What stops an export, in words for the panel; null when Export can run. */
export function exportProblem(choices: ExportChoices, exportable: StudySummary[]): string | null {
  if (exportable.length === 0)
    return 'No study has a finished label yet: tick "Annotation finished" or accept a proposal.';
  if (choices.scope === 'selected' && chosenIds(choices, exportable).length === 0)
    return 'Select at least one study.';
  if (!choices.include.human && !choices.include.accepted)
    return 'Include human labels, accepted proposals or both.';
  if (!choices.outDir.trim()) return 'Choose an export folder.';
  return null;
}

export function exportParams(
  choices: ExportChoices,
  exportable: StudySummary[],
): ApiParams<'labels.export'> {
  return {
    outDir: choices.outDir.trim(),
    include: { ...choices.include },
    ...(choices.scope === 'selected' ? { studies: chosenIds(choices, exportable) } : {}),
  };
}

export function summaryHeadline(result: ExportResult): string {
  const n = result.files.length;
  const skipped = result.skipped.length;
  return (
    `Wrote ${n} label file${n === 1 ? '' : 's'} to ${result.outDir}` +
    (skipped > 0 ? `; skipped ${skipped} ${skipped === 1 ? 'study' : 'studies'}` : '')
  );
}

/** The file name shown per exported file (either path style). */
export function fileName(filePath: string): string {
  return filePath.split(/[\\/]/).pop() ?? filePath;
}
