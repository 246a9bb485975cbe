// The editor controller (renderer): connects the viewer session, the stores and the API —
// opens studies, turns edits into undo steps, autosaves label versions (debounced, and on study
// switch) and runs commands from buttons and shortcuts. A study with a proposal to review opens
// the model's mask instead, drawn as a proposal and never autosaved: accepting saves it (with
// the user's edits) as a label version, rejecting drops it. Components call it; it never renders.
import { api } from '../../api/client';
import { useAnnotationStore, DEFAULT_LABEL_DISPLAY } from '../annotation/store';
import { interpolateLabel } from '../annotation/interpolate';
import { WINDOW_PRESETS } from '../annotation/presets';
import { useStudiesStore } from '../studies/store';
import type { LabelVersion } from '../../../../shared/contract/project';
import type { VolumeHeader } from '../../../../shared/contract/volume';
import type { SessionEvent, ViewerSession } from '../../viewer/session';
import type { ViewportId } from '../../viewer/toolIds';
import { EditHistory } from './history';
import { fetchProposalLabels, sendAccept, sendReject, type LoadedProposal } from './proposalReview';
import { SaveQueue } from './saveQueue';
import { useCursorStore, useEditStore, useViewsStore } from './store';
import { UncertaintyOverlay } from './uncertaintyOverlay';

export const AUTOSAVE_DELAY_MS = 1500;

class EditorController {
  private session: ViewerSession | null = null;
  private header: VolumeHeader | null = null;
  private readonly history = new EditHistory();
  private generation = 0;
  private loadToken = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private detachers: (() => void)[] = [];
  /** The proposal in view while reviewing one (autosave is off meanwhile). */
  private proposal: LoadedProposal | null = null;
  /** Edited proposals the user left without accepting, by study: reopening one brings the
   *  edits back instead of the model's mask (a proposal is never autosaved). */
  private readonly reviewDrafts = new Map<string, LoadedProposal & { labels: Uint8Array }>();
  /** The proposal in view started from such a draft, so it counts as edited from the start. */
  private draftRestored = false;
  /** Where to show a study once it has loaded ("Next study" opens it at its top slice). */
  private pendingSlice: { studyId: string; k: number } | null = null;
  private readonly overlay = new UncertaintyOverlay(() => ({
    session: this.session,
    token: this.loadToken,
  }));
  readonly queue = new SaveQueue((job) =>
    api.call('labels.save', {
      studyId: job.studyId,
      data: job.data.buffer as ArrayBuffer,
      baseVersion: job.baseVersion,
      final: job.final,
    }),
  );

  constructor() {
    this.queue.subscribe((studyId, state) => {
      if (studyId === useEditStore.getState().studyId) useEditStore.setState({ save: state });
      useEditStore.setState({
        unsavedStudies: this.queue
          .unsavedStudies()
          .filter((id) => id !== useEditStore.getState().studyId),
      });
    });
    this.queue.onSaved((_job, result) => useStudiesStore.getState().updateStudy(result.study));
  }

  attach(session: ViewerSession): void {
    this.session = session;
    this.detachers.push(session.on((event) => this.onSessionEvent(event)));
    this.detachers.push(useAnnotationStore.subscribe(() => this.applyToolState()));
    this.detachers.push(useStudiesStore.subscribe(() => this.applyLabelAppearance()));
    this.applyToolState();
    this.applyLabelAppearance();
    const studyId = useEditStore.getState().studyId;
    useEditStore.setState({ studyId: null });
    if (studyId) void this.openStudy(studyId);
  }

  detach(): void {
    this.flushToQueue();
    for (const detach of this.detachers.splice(0)) detach();
    this.session = null;
  }

  private onSessionEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'edited':
        this.history.push(event.diff);
        this.afterChange();
        break;
      case 'cursor':
        useCursorStore.setState({ readout: event.readout });
        break;
      case 'views':
        useViewsStore.setState((s) => ({ tick: s.tick + 1 }));
        break;
      case 'window':
        useAnnotationStore.getState().setWindow(event.lower, event.upper);
        break;
    }
  }

  private applyToolState(): void {
    const s = useAnnotationStore.getState();
    if (!this.session) return;
    this.session.tools.select(s.tool);
    this.session.tools.setBrush({
      radiusMm: s.brushRadiusMm,
      shape: s.brushShape,
      thresholdRange: s.thresholdRange,
    });
    this.session.labels.setActiveLabel(s.activeLabel);
    this.applyLabelAppearance();
  }

  private lastAppearance = '';

  private applyLabelAppearance(): void {
    const labels = useStudiesStore.getState().project?.labels ?? [];
    const { display, labelsHidden } = useAnnotationStore.getState();
    const appearance = labels.map((l) => {
      const d = display[l.value] ?? DEFAULT_LABEL_DISPLAY;
      return {
        value: l.value,
        color: l.color,
        visible: d.visible && !labelsHidden,
        opacity: d.opacity,
      };
    });
    const key = JSON.stringify(appearance);
    if (key === this.lastAppearance || !this.session) return;
    this.lastAppearance = key;
    this.session.labels.setAppearance(appearance);
  }

  // ---- studies -------------------------------------------------------------------------

  async openStudy(studyId: string): Promise<void> {
    if (studyId === useEditStore.getState().studyId && !useEditStore.getState().loadError) return;
    this.flushToQueue();
    this.keepReviewDraft();
    const token = ++this.loadToken;
    this.history.clear();
    this.generation = 0;
    this.proposal = null;
    this.draftRestored = false;
    useEditStore.setState({
      studyId,
      loading: true,
      loadError: null,
      undoCount: 0,
      redoCount: 0,
      editsPending: false,
      save: this.queue.state(studyId),
      message: null,
      review: null,
    });
    if (!this.session) return; // attach() opens it once the viewer exists
    try {
      const unsaved = this.queue.unsavedJob(studyId);
      const status = useStudiesStore
        .getState()
        .project?.studies.find((s) => s.id === studyId)?.status;
      const [image, label, proposal] = await Promise.all([
        api.call('volume.image', { studyId }),
        unsaved ? null : api.call('labels.read', { studyId }),
        // A proposal that vanished meanwhile just opens the study as it is.
        status === 'proposal' && !unsaved ? fetchProposalLabels(studyId).catch(() => null) : null,
      ]);
      if (token !== this.loadToken || !this.session) return;
      const stored = unsaved ? unsaved.data : label!.data ? new Uint8Array(label!.data) : null;
      // Peeked, and dropped only once this load stands: a quicker switch must not lose it.
      const kept = this.reviewDrafts.get(studyId) ?? null;
      // Edits of an older model's proposal, or over a label saved since, do not carry over.
      const draft =
        kept && proposal?.modelId === kept.modelId && kept.baseVersion === label?.versionId
          ? kept.labels
          : null;
      this.header = image.header;
      await this.session.load({
        header: image.header,
        image: image.data,
        labels: draft ? draft.slice() : proposal ? proposal.data.slice() : stored,
      });
      if (token !== this.loadToken) return;
      if (kept) this.dropReviewDraft(studyId);
      if (!unsaved) this.queue.setBase(studyId, label!.versionId);
      this.generation = unsaved?.generation ?? 0;
      if (proposal) {
        this.proposal = {
          modelId: proposal.modelId,
          original: proposal.data,
          baseVersion: label!.versionId,
        };
        this.session.review.setLabelmapMode('proposal');
        this.draftRestored = Boolean(draft);
      }
      this.showPendingSlice(studyId);
      useAnnotationStore.getState().setThresholdRange(image.header.robustRange);
      useEditStore.setState({
        loading: false,
        final: unsaved?.final ?? label!.final,
        save: this.queue.state(studyId),
        review: proposal
          ? { modelId: proposal.modelId, edited: Boolean(draft), busy: false }
          : null,
        message: draft
          ? `Your unsaved edits of the proposal of ${kept!.modelId} are back: accept to save them.`
          : kept
            ? `Your edits of the proposal of ${kept.modelId} were not kept: that proposal is no longer the one to review.`
            : null,
      });
      void this.overlay.refresh();
    } catch (error) {
      if (token !== this.loadToken) return;
      useEditStore.setState({ loading: false, loadError: (error as Error).message });
    }
  }

  // ---- edits and saving ----------------------------------------------------------------

  private afterChange(): void {
    this.generation++;
    const review = useEditStore.getState().review;
    if (this.proposal && review) {
      // Reviewing: the edit belongs to the proposal until it is accepted; nothing autosaves.
      useEditStore.setState({
        undoCount: this.history.undoCount,
        redoCount: this.history.redoCount,
        review: { ...review, edited: this.draftRestored || this.history.undoCount > 0 },
      });
      return;
    }
    useEditStore.setState({
      undoCount: this.history.undoCount,
      redoCount: this.history.redoCount,
      editsPending: true,
    });
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushToQueue(), AUTOSAVE_DELAY_MS);
  }

  /** Hands the current labelmap to the save queue if it has edits the queue lacks. */
  flushToQueue(): void {
    clearTimeout(this.saveTimer);
    if (this.proposal) return; // a proposal is saved only by accepting it
    if (this.session?.labels.strokeInProgress) {
      // Never save half a stroke; the stroke's own edit restarts the timer when it ends.
      this.saveTimer = setTimeout(() => this.flushToQueue(), AUTOSAVE_DELAY_MS);
      return;
    }
    const { studyId, editsPending, final } = useEditStore.getState();
    this.session?.labels.flush();
    if (!this.session || !studyId || this.session.studyId !== studyId) return;
    if (!editsPending && !useEditStore.getState().editsPending) return;
    const data = this.session.labels.read();
    if (!data) return;
    useEditStore.setState({ editsPending: false });
    this.queue.enqueue({ studyId, data, final, generation: this.generation });
  }

  saveNow(): void {
    this.flushToQueue();
    const studyId = useEditStore.getState().studyId;
    if (studyId) this.queue.retryNow(studyId);
  }

  /** Marks the annotation finished (usable for training) or back in progress; saves at once. */
  setFinal(final: boolean): void {
    if (this.proposal) return;
    useEditStore.setState({ final, editsPending: true });
    this.flushToQueue();
  }

  undo(): void {
    const diff = this.history.undo();
    if (!diff || !this.session) return;
    this.session.labels.apply(diff, 'undo');
    this.afterChange();
  }

  redo(): void {
    const diff = this.history.redo();
    if (!diff || !this.session) return;
    this.session.labels.apply(diff, 'redo');
    this.afterChange();
  }

  resolveConflict(choice: 'keep-mine' | 'reload'): void {
    const studyId = useEditStore.getState().studyId;
    if (!studyId) return;
    if (choice === 'keep-mine') {
      this.queue.overwrite(studyId);
      return;
    }
    this.queue.discard(studyId);
    useEditStore.setState({ studyId: null });
    void this.openStudy(studyId);
  }

  // ---- commands ------------------------------------------------------------------------

  interpolate(): void {
    if (!this.session || !this.header) return;
    const { activeLabel, activeViewport } = useAnnotationStore.getState();
    const data = this.session.labels.read();
    if (!data) return;
    const axis = this.session.navigation.sliceAxis(activeViewport);
    const result = interpolateLabel(
      data,
      this.header.dims,
      this.header.spacingMm,
      axis,
      activeLabel,
    );
    const axisName = 'ijk'[axis];
    if (result.annotatedSlices.length < 2) {
      useEditStore.setState({
        message: `Interpolation needs label ${activeLabel} on at least two ${axisName}-slices with a gap between them.`,
      });
      return;
    }
    this.session.labels.replace(result.data);
    useEditStore.setState({
      message: result.filledSlices.length
        ? `Filled ${result.filledSlices.length} ${axisName}-slices between annotated slices.`
        : 'Nothing to fill: the annotated slices have no gaps.',
    });
  }

  applyPreset(presetId: string): void {
    const preset = WINDOW_PRESETS.find((p) => p.id === presetId);
    if (!preset || !this.session || !this.header) return;
    const [lower, upper] = preset.range(this.header);
    this.session.window.set(lower, upper > lower ? upper : lower + 1);
  }

  setWindow(lower: number, upper: number): void {
    if (upper > lower) this.session?.window.set(lower, upper);
  }

  scrollActive(delta: number, viewportId?: ViewportId): void {
    this.session?.navigation.scroll(
      viewportId ?? useAnnotationStore.getState().activeViewport,
      delta,
    );
  }

  resetViews(): void {
    this.session?.navigation.reset();
  }

  get viewerSession(): ViewerSession | null {
    return this.session;
  }

  /** Edits that would be lost if the page closed now (edits of a proposal included). */
  hasUnsavedWork(): boolean {
    return (
      useEditStore.getState().editsPending ||
      this.queue.unsavedStudies().length > 0 ||
      Boolean(useEditStore.getState().review?.edited) ||
      this.reviewDrafts.size > 0
    );
  }

  /** Studies whose edited proposal waits in memory for the user to come back and accept it. */
  get reviewDraftStudies(): string[] {
    return [...this.reviewDrafts.keys()];
  }

  /** Keeps the edits of the proposal in view when the user leaves it without deciding. */
  private keepReviewDraft(): void {
    const { studyId, review } = useEditStore.getState();
    if (!studyId || !this.proposal || !review?.edited || !this.session) return;
    this.session.labels.flush();
    const labels = this.session.labels.read();
    if (labels) this.reviewDrafts.set(studyId, { ...this.proposal, labels: labels.slice() });
    this.publishReviewDrafts();
  }

  private dropReviewDraft(studyId: string): void {
    this.reviewDrafts.delete(studyId);
    this.publishReviewDrafts();
  }

  private publishReviewDrafts(): void {
    useEditStore.setState({ reviewDrafts: this.reviewDraftStudies });
  }

  // ---- reviewing proposals -------------------------------------------------------------

  /**
   * Saves the proposal in view (with the user's edits, if any) as the study's new final label
   * version; the editor then shows it as an ordinary label. Throws what the back end refused.
   */
  async acceptProposal(): Promise<LabelVersion | null> {
    const { studyId, review } = useEditStore.getState();
    const proposal = this.proposal;
    if (!studyId || !review || !proposal || !this.session || review.busy) return null;
    this.session.labels.flush();
    const current = this.session.labels.read();
    if (!current) return null;
    const token = this.loadToken;
    useEditStore.setState({ review: { ...review, busy: true } });
    try {
      const result = await sendAccept(studyId, proposal, current);
      useStudiesStore.getState().updateStudy(result.study);
      if (token !== this.loadToken) return result.version;
      this.proposal = null;
      this.queue.setBase(studyId, result.version.id);
      this.history.clear();
      this.generation = 0;
      this.session.review.setLabelmapMode('human');
      useEditStore.setState({
        review: null,
        final: result.version.final,
        undoCount: 0,
        redoCount: 0,
        editsPending: false,
        message: `Saved the proposal of ${proposal.modelId} as label ${result.version.id}${
          result.version.provenance.kind === 'model' && result.version.provenance.edited
            ? ' (edited)'
            : ''
        }.`,
      });
      return result.version;
    } catch (error) {
      if (token === this.loadToken) useEditStore.setState({ review: { ...review, busy: false } });
      throw error;
    }
  }

  /** Records that the proposal in view is wrong and shows the study without it. */
  async rejectProposal(): Promise<void> {
    const { studyId, review } = useEditStore.getState();
    const proposal = this.proposal;
    if (!studyId || !review || !proposal || review.busy) return;
    useEditStore.setState({ review: { ...review, busy: true } });
    try {
      useStudiesStore.getState().updateStudy(await sendReject(studyId, proposal));
    } catch (error) {
      if (useEditStore.getState().studyId === studyId)
        useEditStore.setState({ review: { ...review, busy: false } });
      throw error;
    }
    if (useEditStore.getState().studyId !== studyId) return;
    this.proposal = null;
    useEditStore.setState({ studyId: null });
    await this.openStudy(studyId);
    useEditStore.setState({ message: `Rejected the proposal of ${proposal.modelId}.` });
  }

  /** Opens a study (or moves the open one) with the views on file slice k. */
  showStudyAt(studyId: string, k: number): void {
    this.pendingSlice = { studyId, k };
    const state = useEditStore.getState();
    if (state.studyId === studyId && !state.loading) this.showPendingSlice(studyId);
    else useStudiesStore.getState().select(studyId);
  }

  private showPendingSlice(studyId: string): void {
    if (this.pendingSlice?.studyId !== studyId || !this.session) return;
    this.session.navigation.showFileSlice(2, this.pendingSlice.k);
    this.pendingSlice = null;
  }

  /** Turns the uncertainty overlay on or off (it stays on from study to study). */
  setUncertaintyOverlay(on: boolean): Promise<void> {
    return this.overlay.set(on);
  }
}

export const editor = new EditorController();
