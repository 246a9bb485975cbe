// The "Getting started" checklist of the demo (renderer, pure): which steps of the loop the user
// has done, read from project state through the API — never from other features' internals —
// and ticked only for what the step says (a tiny smoke-test run is not "Train (quick)").
import type { StudySummary } from '../../../../shared/contract/project';

export const CHECKLIST_STEPS = [
  {
    id: 'annotate',
    title: 'Annotate a study',
    hint: 'Open an unlabeled study and paint the target with the brush on a few slices (each painted slice counts), or on all of them and mark it finished.',
  },
  {
    id: 'train',
    title: 'Train (quick)',
    hint: 'In the Train panel choose the quick profile (or a longer one) and start; progress shows live. The tiny profile is a smoke test and does not count.',
  },
  {
    id: 'review',
    title: 'Review a proposal',
    hint: 'Open a study marked "proposal" and accept (after editing, if needed) or reject it.',
  },
  {
    id: 'export',
    title: 'Export',
    hint: 'Export the labels as NIfTI files into a folder of your choice.',
  },
] as const;

export type ChecklistStepId = (typeof CHECKLIST_STEPS)[number]['id'];
export type ChecklistDone = Record<ChecklistStepId, boolean>;

export interface ChecklistEvidence {
  studies: StudySummary[];
  /**
   * Studies whose label history holds a version drawn by a person in the app that is finished
   * or has annotated slices (usable for training).
   */
  humanLabeledStudies: number;
  /** Profiles of the project's model versions. */
  modelProfiles: string[];
  /** An export finished in this project (remembered by the UI: exports leave no record). */
  exported: boolean;
}

export function checklistDone(evidence: ChecklistEvidence): ChecklistDone {
  return {
    annotate: evidence.humanLabeledStudies > 0,
    // "Train (quick)": a smoke test (tiny) is not the step the checklist asks for.
    train: evidence.modelProfiles.some((p) => p !== 'tiny'),
    review: evidence.studies.some((s) => s.status === 'accepted' || s.status === 'rejected'),
    export: evidence.exported,
  };
}

/** Studies worth asking for their label history: only those that have one. */
export function studiesWithLabels(studies: StudySummary[]): string[] {
  return studies.filter((s) => s.labelVersionCount > 0).map((s) => s.id);
}
