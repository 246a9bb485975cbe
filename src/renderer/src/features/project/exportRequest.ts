// Export choices → API request (renderer, pure): which studies can be exported (partial labels
// too when they go out with an ignore label, nnU-Net v2's convention), the default folder, why
// Export is not possible yet, the `labels.export` params and the summary line.
import type { ApiParams, ApiResult } from '../../../../shared/contract/api';
import type { LabelClass, StudySummary } from '../../../../shared/contract/project';

/** nnU-Net v2 commonly takes the highest value as its "ignore" label. */
export const DEFAULT_IGNORE_LABEL = 255;

export interface PartialExport {
  /** Also export partial labels, unannotated voxels as `ignoreLabel`. */
  enabled: boolean;
  ignoreLabel: number;
  /** Also write each partial label's annotated voxels as annotated/<study>.nii.gz. */
  annotatedMasks: boolean;
}

export type ExportScope = 'all' | 'selected';

export interface ExportChoices {
  scope: ExportScope;
  /** Study IDs ticked in the checklist (used when scope is "selected"). */
  selected: string[];
  include: { human: boolean; accepted: boolean };
  outDir: string;
  partial: PartialExport;
}

export type ExportResult = ApiResult<'labels.export'>;

/**
 * Studies whose current label is finished — "labeled" (human) or "accepted" (from a model) —
 * and, with `partial`, those with annotated slices.
 */
export function exportableStudies(studies: StudySummary[], partial = false): StudySummary[] {
  return studies.filter(
    (s) =>
      s.currentLabel !== null &&
      (s.status === 'labeled' || s.status === 'accepted' || (partial && s.coverage === 'partial')),
  );
}

/** Why an ignore label cannot be used; null when it can (1…255, no label class's value). */
export function ignoreLabelProblem(value: number, labels: readonly LabelClass[]): string | null {
  if (!Number.isInteger(value) || value < 1 || value > 255)
    return 'The ignore label must be a whole number from 1 to 255.';
  const taken = labels.find((l) => l.value === value);
  return taken
    ? `The ignore label ${value} is the value of label class "${taken.name}": choose another.`
    : null;
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
export function exportProblem(
  choices: ExportChoices,
  exportable: StudySummary[],
  labels: readonly LabelClass[] = [],
): string | null {
  if (choices.partial.enabled) {
    const problem = ignoreLabelProblem(choices.partial.ignoreLabel, labels);
    if (problem) return problem;
  }
  if (exportable.length === 0)
    return choices.partial.enabled
      ? 'No study has a finished or partial label yet: paint a few slices, tick "Annotation finished" or accept a proposal.'
      : 'No study has a finished label yet: tick "Annotation finished" or accept a proposal.';
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
  const { partial } = choices;
  return {
    outDir: choices.outDir.trim(),
    include: { ...choices.include },
    ...(choices.scope === 'selected' ? { studies: chosenIds(choices, exportable) } : {}),
    ...(partial.enabled
      ? { ignoreLabel: partial.ignoreLabel, annotatedMasks: partial.annotatedMasks }
      : {}),
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
