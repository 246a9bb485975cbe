// Editor state (renderer, zustand): what the UI shows about the open study's labelmap — loading,
// undo/redo depth, save status, the proposal under review. Written by the editor parts (label
// editing, study loading) and by proposal review (features/review).
import { create } from 'zustand';
import type { AnnotatedSlices } from '../../../../shared/contract/project';
import type { CursorReadout } from '../../viewer/session';
import type { StudySaveState } from './saveQueue';

/** Where the draft of an edited proposal stands (features/review/draftSaver.ts). */
export type ProposalDraftStatus = 'none' | 'unsaved' | 'saving' | 'saved' | 'failed';

export interface EditState {
  studyId: string | null;
  loading: boolean;
  loadError: string | null;
  /** The open labelmap is a finished annotation (saved versions are marked final). */
  final: boolean;
  undoCount: number;
  redoCount: number;
  /** Edits made but not yet handed to the save queue (autosave is waiting). */
  editsPending: boolean;
  /** An edit is being drawn (a stroke not yet finished): not saved, not even queued. */
  changing: boolean;
  /** File slices annotated (painted on or marked done) in the labelmap in view. */
  annotated: AnnotatedSlices;
  /** What the back end asks to check about a label just saved as finished. */
  finishWarnings: string[];
  save: StudySaveState;
  /** Other studies whose edits are still only in memory. */
  unsavedStudies: string[];
  /** Studies whose edited proposal was left without accepting (kept in memory until then). */
  reviewDrafts: string[];
  /** Short feedback after a command, e.g. "Filled 3 slices". */
  message: string | null;
  /**
   * The labelmap in view is a model's proposal under review: drawn differently, never
   * autosaved; accepting saves it (edited or not) as a label version, rejecting drops it.
   */
  review: ProposalReviewState | null;
  /** A model's proposal shown as a reference over the person's own label (which it is not). */
  reference: { modelId: string; visible: boolean } | null;
  /** The uncertainty overlay: off, being fetched, on the views, or on but this study has none. */
  uncertainty: 'off' | 'loading' | 'on' | 'unavailable';
}

export interface ProposalReviewState {
  modelId: string;
  /** The user changed the proposal (accepting then saves their version, marked edited). */
  edited: boolean;
  /** An accept or reject is on its way to the back end. */
  busy: boolean;
  /** The edits, saved in the project as a draft until accepted or discarded. */
  draft: ProposalDraftStatus;
  draftSavedAt: string | null;
  draftError: string | null;
}

export const IDLE_SAVE: StudySaveState = {
  status: 'idle',
  error: null,
  retryAtMs: null,
  savedGeneration: 0,
  unsaved: false,
};

export const useEditStore = create<EditState>(() => ({
  studyId: null,
  loading: false,
  loadError: null,
  final: false,
  undoCount: 0,
  redoCount: 0,
  editsPending: false,
  changing: false,
  annotated: { i: [], j: [], k: [] },
  finishWarnings: [],
  save: IDLE_SAVE,
  unsavedStudies: [],
  reviewDrafts: [],
  message: null,
  review: null,
  reference: null,
  uncertainty: 'off',
}));

/** The value under the pointer; its own store because it changes on every mouse move. */
export const useCursorStore = create<{ readout: CursorReadout | null }>(() => ({ readout: null }));

/** Bumped when any view's camera, slice or crosshair changed, so overlays re-read them. */
export const useViewsStore = create<{ tick: number }>(() => ({ tick: 0 }));
