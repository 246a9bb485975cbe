// Label editing (renderer, no UI): the edits of the study in view — the undo/redo history, the
// slices annotated so far (a stroke annotates the slice in view; "done" marks one, painted or
// not), the save queue and autosave (after a pause, at once on a study switch or Ctrl+S, never
// half a stroke) — and slice interpolation. While a proposal is under review its edits are held
// (hold()): nothing autosaves and the holder (features/review) hears of every change instead.
import type { AnnotatedSlices } from '../../../../shared/contract/project';
import { interpolateLabel } from '../annotation/interpolate';
import { useStudiesStore } from '../studies/store';
import type { LabelDiff } from '../../viewer/labelDiff';
import type { ViewportId } from '../../viewer/toolIds';
import type { FileSlice } from '../../viewer/viewInfo';
import { NO_SLICES, toggleSlice, withSlice, type Axis } from './annotatedSlices';
import type { EditorContext } from './context';
import { EditHistory } from './history';
import { SaveQueue } from './saveQueue';
import { useEditStore } from './store';

export const AUTOSAVE_DELAY_MS = 1500;

/** Takes over the edits of the labelmap in view instead of autosave. */
export interface EditHolder {
  /** Called after every edit, undo and redo, with the number of undo steps there are now. */
  changed(undoCount: number): void;
}

export interface LabelEditingOptions {
  autosaveDelayMs?: number;
  /** Back-off of the save queue's retries after a transient failure. */
  retryDelaysMs?: number[];
}

export class LabelEditing {
  readonly queue: SaveQueue;
  private readonly history = new EditHistory();
  /** Counts the edits of the study in view; tells which edits a save covers. */
  private generation = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private holder: EditHolder | null = null;
  private readonly autosaveDelayMs: number;

  constructor(
    private readonly ctx: EditorContext,
    options: LabelEditingOptions = {},
  ) {
    this.autosaveDelayMs = options.autosaveDelayMs ?? AUTOSAVE_DELAY_MS;
    this.queue = new SaveQueue(
      (job) =>
        ctx.api.call('labels.save', {
          studyId: job.studyId,
          data: job.data.buffer as ArrayBuffer,
          baseVersion: job.baseVersion,
          final: job.final,
          // A finished label has every slice annotated; the back end records none for it.
          ...(job.final ? {} : { annotatedSlices: job.annotatedSlices }),
        }),
      options.retryDelaysMs,
    );
    this.queue.subscribe((studyId, state) => {
      if (studyId === useEditStore.getState().studyId) useEditStore.setState({ save: state });
      useEditStore.setState({
        unsavedStudies: this.queue
          .unsavedStudies()
          .filter((id) => id !== useEditStore.getState().studyId),
      });
    });
    this.queue.onSaved((job, result) => {
      useStudiesStore.getState().updateStudy(result.study);
      // What "Annotation finished" should make the user check (gaps, a structure cut short).
      if (job.studyId === useEditStore.getState().studyId)
        useEditStore.setState({ finishWarnings: job.final ? result.warnings : [] });
    });
  }

  /** Another study is opening: its undo history starts empty, and nothing is held. */
  begin(): void {
    this.history.clear();
    this.generation = 0;
    this.holder = null;
    useEditStore.setState({ annotated: NO_SLICES, changing: false, finishWarnings: [] });
  }

  /**
   * The study opened showing the unsaved edit of `generation` (0: its stored label), with the
   * slices annotated in what it shows.
   */
  continueFrom(generation: number, annotated: AnnotatedSlices = NO_SLICES): void {
    this.generation = generation;
    useEditStore.setState({ annotated });
  }

  /** The session reported a finished edit; `slice`: where a tool drew it (it is annotated now). */
  record(diff: LabelDiff, slice: FileSlice | null = null): void {
    this.history.push(diff);
    if (slice && !this.holder) {
      const { annotated } = useEditStore.getState();
      useEditStore.setState({ annotated: withSlice(annotated, slice.axis, slice.index) });
    }
    this.afterChange();
  }

  /** The session says an edit is being drawn (reported when it ends). */
  editStarted(): void {
    useEditStore.setState({ changing: true });
  }

  /** What was being drawn changed nothing after all: no edit is under way any more. */
  editUnchanged(): void {
    useEditStore.setState({ changing: false });
  }

  /** Marks the slice a view shows done, or takes the mark back (toggleSliceDone). */
  toggleSliceDoneInView(viewportId: ViewportId): void {
    const info = this.ctx.session?.navigation.viewInfo(viewportId);
    if (info) this.toggleSliceDone(info.sliceAxis, info.sliceIndex);
  }

  /**
   * Marks a slice done — painted or not ("no structure here") — or takes the mark back; saved
   * like an edit. Not while a proposal is under review or on a finished annotation (all done).
   */
  toggleSliceDone(axis: Axis, index: number): void {
    const { studyId, final, annotated } = useEditStore.getState();
    if (this.holder || !studyId || final) return;
    useEditStore.setState({ annotated: toggleSlice(annotated, axis, index) });
    this.generation++;
    this.scheduleSave();
  }

  undo(): void {
    this.step('undo');
  }

  redo(): void {
    this.step('redo');
  }

  /** Hands the edits of the labelmap in view to `holder` instead of autosaving them. */
  hold(holder: EditHolder | null): void {
    this.holder = holder;
  }

  /**
   * The labelmap in view was saved as version `versionId` by other means (an accepted
   * proposal): it is the new base, with an empty history, and autosaves again.
   */
  adopt(studyId: string, versionId: string): void {
    this.holder = null;
    this.queue.setBase(studyId, versionId);
    this.history.clear();
    this.generation = 0;
    useEditStore.setState({ undoCount: 0, redoCount: 0, editsPending: false });
  }

  /** Hands the current labelmap to the save queue if it has edits the queue lacks. */
  flushToQueue(): void {
    clearTimeout(this.saveTimer);
    if (this.holder) return; // a proposal is saved only by accepting it
    const session = this.ctx.session;
    if (session?.labels.strokeInProgress) {
      // Never save half a stroke; the stroke's own edit restarts the timer when it ends.
      this.saveTimer = setTimeout(() => this.flushToQueue(), this.autosaveDelayMs);
      return;
    }
    const { studyId, editsPending, final, annotated } = useEditStore.getState();
    session?.labels.flush(); // may report an edit, which sets editsPending
    if (!session || !studyId || session.studyId !== studyId) return;
    if (!editsPending && !useEditStore.getState().editsPending) return;
    const data = session.labels.read();
    if (!data) return;
    useEditStore.setState({ editsPending: false });
    this.queue.enqueue({
      studyId,
      data,
      final,
      annotatedSlices: annotated,
      generation: this.generation,
    });
  }

  /** Ctrl+S and "Retry now": saves at once, without waiting for a retry's back-off. */
  saveNow(): void {
    this.flushToQueue();
    const studyId = useEditStore.getState().studyId;
    if (studyId) this.queue.retryNow(studyId);
  }

  /** Marks the annotation finished (usable for training) or back in progress; saves at once. */
  setFinal(final: boolean): void {
    if (this.holder) return;
    useEditStore.setState({ final, editsPending: true, finishWarnings: [] });
    this.flushToQueue();
  }

  /** Resolves a save conflict by saving this edit as the newest version (history keeps theirs). */
  keepMine(): void {
    const studyId = useEditStore.getState().studyId;
    if (studyId) this.queue.overwrite(studyId);
  }

  /** Fills `label` between its annotated slices along the axis `viewportId` looks along. */
  interpolate(label: number, viewportId: ViewportId): void {
    const session = this.ctx.session;
    const header = session?.header;
    if (!session || !header) return;
    const data = session.labels.read();
    if (!data) return;
    const axis = session.navigation.sliceAxis(viewportId);
    const result = interpolateLabel(data, header.dims, header.spacingMm, axis, label);
    const axisName = 'ijk'[axis];
    if (result.annotatedSlices.length < 2) {
      useEditStore.setState({
        message: `Interpolation needs label ${label} on at least two ${axisName}-slices with a gap between them.`,
      });
      return;
    }
    session.labels.replace(result.data);
    useEditStore.setState({
      message: result.filledSlices.length
        ? `Filled ${result.filledSlices.length} ${axisName}-slices between annotated slices.`
        : 'Nothing to fill: the annotated slices have no gaps.',
    });
  }

  /** Edits that would be lost if the page closed now (a proposal's unsaved draft included). */
  hasUnsavedWork(): boolean {
    const state = useEditStore.getState();
    const draft = state.review?.draft;
    return (
      state.editsPending ||
      state.changing ||
      this.queue.unsavedStudies().length > 0 ||
      draft === 'unsaved' ||
      draft === 'saving' ||
      draft === 'failed' ||
      state.reviewDrafts.length > 0
    );
  }

  private step(direction: 'undo' | 'redo'): void {
    const diff = direction === 'undo' ? this.history.undo() : this.history.redo();
    const session = this.ctx.session;
    if (!diff || !session) return;
    session.labels.apply(diff, direction);
    this.afterChange();
  }

  private afterChange(): void {
    this.generation++;
    const counts = {
      undoCount: this.history.undoCount,
      redoCount: this.history.redoCount,
      changing: false,
    };
    if (this.holder) {
      // Held (a proposal under review): the edit belongs to the holder; nothing autosaves.
      useEditStore.setState(counts);
      this.holder.changed(this.history.undoCount);
      return;
    }
    useEditStore.setState(counts);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    useEditStore.setState({ editsPending: true });
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushToQueue(), this.autosaveDelayMs);
  }
}
