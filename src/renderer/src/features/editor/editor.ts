// The editor controller (renderer): connects the viewer session, the stores and the API —
// opens studies, turns edits into undo steps, autosaves label versions (debounced, and on study
// switch) and runs commands from buttons and shortcuts. Components call it; it never renders.
import { api } from '../../api/client';
import { useAnnotationStore, DEFAULT_LABEL_DISPLAY } from '../annotation/store';
import { interpolateLabel } from '../annotation/interpolate';
import { WINDOW_PRESETS } from '../annotation/presets';
import { useStudiesStore } from '../studies/store';
import type { VolumeHeader } from '../../../../shared/contract/volume';
import type { SessionEvent, ViewerSession } from '../../viewer/session';
import type { ViewportId } from '../../viewer/toolIds';
import { EditHistory } from './history';
import { SaveQueue } from './saveQueue';
import { useCursorStore, useEditStore, useViewsStore } from './store';

export const AUTOSAVE_DELAY_MS = 1500;

class EditorController {
  private session: ViewerSession | null = null;
  private header: VolumeHeader | null = null;
  private readonly history = new EditHistory();
  private generation = 0;
  private loadToken = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private detachers: (() => void)[] = [];
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
    this.session.setTool(s.tool);
    this.session.setBrush({
      radiusMm: s.brushRadiusMm,
      shape: s.brushShape,
      thresholdRange: s.thresholdRange,
    });
    this.session.setActiveLabel(s.activeLabel);
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
    this.session.setLabelAppearance(appearance);
  }

  // ---- studies -------------------------------------------------------------------------

  async openStudy(studyId: string): Promise<void> {
    if (studyId === useEditStore.getState().studyId && !useEditStore.getState().loadError) return;
    this.flushToQueue();
    const token = ++this.loadToken;
    this.history.clear();
    this.generation = 0;
    useEditStore.setState({
      studyId,
      loading: true,
      loadError: null,
      undoCount: 0,
      redoCount: 0,
      editsPending: false,
      save: this.queue.state(studyId),
      message: null,
    });
    if (!this.session) return; // attach() opens it once the viewer exists
    try {
      const unsaved = this.queue.unsavedJob(studyId);
      const [image, label] = await Promise.all([
        api.call('volume.image', { studyId }),
        unsaved ? null : api.call('labels.read', { studyId }),
      ]);
      if (token !== this.loadToken || !this.session) return;
      const labels = unsaved ? unsaved.data : label!.data ? new Uint8Array(label!.data) : null;
      this.header = image.header;
      await this.session.load({ header: image.header, image: image.data, labels });
      if (token !== this.loadToken) return;
      if (!unsaved) this.queue.setBase(studyId, label!.versionId);
      this.generation = unsaved?.generation ?? 0;
      useAnnotationStore.getState().setThresholdRange(image.header.robustRange);
      useEditStore.setState({
        loading: false,
        final: unsaved?.final ?? label!.final,
        save: this.queue.state(studyId),
      });
    } catch (error) {
      if (token !== this.loadToken) return;
      useEditStore.setState({ loading: false, loadError: (error as Error).message });
    }
  }

  // ---- edits and saving ----------------------------------------------------------------

  private afterChange(): void {
    this.generation++;
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
    if (this.session?.strokeInProgress) {
      // Never save half a stroke; the stroke's own edit restarts the timer when it ends.
      this.saveTimer = setTimeout(() => this.flushToQueue(), AUTOSAVE_DELAY_MS);
      return;
    }
    const { studyId, editsPending, final } = useEditStore.getState();
    this.session?.flushEdits();
    if (!this.session || !studyId || this.session.studyId !== studyId) return;
    if (!editsPending && !useEditStore.getState().editsPending) return;
    const data = this.session.readLabels();
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
    useEditStore.setState({ final, editsPending: true });
    this.flushToQueue();
  }

  undo(): void {
    const diff = this.history.undo();
    if (!diff || !this.session) return;
    this.session.applyDiff(diff, 'undo');
    this.afterChange();
  }

  redo(): void {
    const diff = this.history.redo();
    if (!diff || !this.session) return;
    this.session.applyDiff(diff, 'redo');
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
    const data = this.session.readLabels();
    if (!data) return;
    const axis = this.session.sliceAxis(activeViewport);
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
    this.session.replaceLabels(result.data);
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
    this.session.setWindow(lower, upper > lower ? upper : lower + 1);
  }

  setWindow(lower: number, upper: number): void {
    if (upper > lower) this.session?.setWindow(lower, upper);
  }

  scrollActive(delta: number, viewportId?: ViewportId): void {
    this.session?.scroll(viewportId ?? useAnnotationStore.getState().activeViewport, delta);
  }

  resetViews(): void {
    this.session?.resetViews();
  }

  get viewerSession(): ViewerSession | null {
    return this.session;
  }

  /** Edits that would be lost if the page closed now. */
  hasUnsavedWork(): boolean {
    return useEditStore.getState().editsPending || this.queue.unsavedStudies().length > 0;
  }
}

export const editor = new EditorController();
