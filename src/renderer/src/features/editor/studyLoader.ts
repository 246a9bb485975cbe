// Study loading (renderer, no UI): opens a study in the viewer session — its image with the
// stored label, the edit still waiting to be saved, or what a label source (proposal review)
// offers instead — after handing the edits of the study it leaves to the save queue. A newer
// load always wins over a slower older one; "Next study" can ask for a slice to show.
import type { StudyStatus } from '../../../../shared/contract/project';
import { useAnnotationStore } from '../annotation/store';
import { useStudiesStore } from '../studies/store';
import type { EditorContext, EditorSession } from './context';
import { NO_SLICES } from './annotatedSlices';
import type { LabelEditing } from './labelEditing';
import { useEditStore, type EditState } from './store';

/** Offers what a study opens with instead of its stored label (features/review: proposals). */
export interface LabelSource {
  /** Runs beside the image and label reads; `unsaved`: an edit waits to be saved. */
  prepare(
    studyId: string,
    study: { status: StudyStatus | undefined; unsaved: boolean },
  ): Promise<OpenPlan | null>;
}

export interface OpenPlan {
  /**
   * Labels (file order) to show instead of the study's own, or null to show those.
   * `baseVersion`: the stored label version read (null: none yet; undefined: an unsaved edit
   * is shown and no label was read).
   */
  labels(baseVersion: string | null | undefined): Uint8Array | null;
  /** The study is on screen and this load stands: what to show about it. */
  opened(baseVersion: string | null | undefined): Partial<Pick<EditState, 'review' | 'message'>>;
}

/** A study to show at an axial file slice k, or with the crosshair on a file voxel. */
interface ShowTarget {
  studyId: string;
  k?: number;
  voxel?: [number, number, number];
}

export class StudyLoader {
  /** Counts loads: a load whose number is no longer current gave way to a newer one. */
  private loads = 0;
  private source: LabelSource | null = null;
  private readonly leaving = new Set<() => void>();
  private readonly opened = new Set<(studyId: string) => void>();
  /** Where to show a study once it has loaded ("Next study" opens it at its top slice). */
  private pending: ShowTarget | null = null;

  constructor(
    private readonly ctx: EditorContext,
    private readonly editing: LabelEditing,
  ) {}

  /** Changes whenever a load starts; compare it before and after an await. */
  get loadCount(): number {
    return this.loads;
  }

  setLabelSource(source: LabelSource | null): void {
    this.source = source;
  }

  /** Called before the view leaves the study in view (its edits are already queued). */
  onLeaving(listener: () => void): () => void {
    this.leaving.add(listener);
    return () => this.leaving.delete(listener);
  }

  /** Called after every load that stands. */
  onOpened(listener: (studyId: string) => void): () => void {
    this.opened.add(listener);
    return () => this.opened.delete(listener);
  }

  /** The views exist: shows the study chosen meanwhile, if any. */
  attach(session: EditorSession): void {
    this.ctx.session = session;
    const studyId = useEditStore.getState().studyId;
    useEditStore.setState({ studyId: null });
    if (studyId) void this.open(studyId);
  }

  /** The views go away: queues their unsaved edits first. */
  detach(): void {
    this.editing.flushToQueue();
    this.ctx.session = null;
  }

  async open(studyId: string): Promise<void> {
    if (studyId === useEditStore.getState().studyId && !useEditStore.getState().loadError) return;
    this.editing.flushToQueue();
    for (const listener of this.leaving) listener();
    const token = ++this.loads;
    this.editing.begin();
    useEditStore.setState({
      studyId,
      loading: true,
      loadError: null,
      undoCount: 0,
      redoCount: 0,
      editsPending: false,
      save: this.editing.queue.state(studyId),
      message: null,
      review: null,
    });
    if (!this.ctx.session) return; // attach() opens it once the viewer exists
    const { api } = this.ctx;
    try {
      const unsaved = this.editing.queue.unsavedJob(studyId);
      const status = useStudiesStore
        .getState()
        .project?.studies.find((s) => s.id === studyId)?.status;
      const [image, label, history, plan] = await Promise.all([
        api.call('volume.image', { studyId }),
        unsaved ? null : api.call('labels.read', { studyId }),
        // The annotated slices of the version read (a save must never drop them).
        unsaved ? null : api.call('labels.list', { studyId }),
        this.source?.prepare(studyId, { status, unsaved: Boolean(unsaved) }) ?? null,
      ]);
      const session = this.ctx.session;
      if (token !== this.loads || !session) return;
      const stored = unsaved ? unsaved.data : label!.data ? new Uint8Array(label!.data) : null;
      const baseVersion = label?.versionId;
      await session.load({
        header: image.header,
        image: image.data,
        labels: plan?.labels(baseVersion) ?? stored,
      });
      if (token !== this.loads) return;
      if (!unsaved) this.editing.queue.setBase(studyId, label!.versionId);
      const annotated = unsaved
        ? unsaved.annotatedSlices
        : history!.versions.find((v) => v.id === label!.versionId)?.annotatedSlices;
      this.editing.continueFrom(unsaved?.generation ?? 0, annotated ?? NO_SLICES);
      const shown = plan?.opened(baseVersion) ?? {};
      this.showPendingSlice(studyId);
      useAnnotationStore.getState().setThresholdRange(image.header.robustRange);
      useEditStore.setState({
        loading: false,
        final: unsaved?.final ?? label!.final,
        save: this.editing.queue.state(studyId),
        review: null,
        message: null,
        ...shown,
      });
      for (const listener of this.opened) listener(studyId);
    } catch (error) {
      if (token !== this.loads) return;
      useEditStore.setState({ loading: false, loadError: (error as Error).message });
    }
  }

  /** Opens the study again from the back end, even when it is the one in view. */
  reload(studyId: string): Promise<void> {
    useEditStore.setState({ studyId: null });
    return this.open(studyId);
  }

  /** Resolves a save conflict by forgetting this page's edit and showing the stored label. */
  discardEditsAndReload(): void {
    const studyId = useEditStore.getState().studyId;
    if (!studyId) return;
    this.editing.queue.discard(studyId);
    void this.reload(studyId);
  }

  /** Opens a study (or moves the open one) with the views on file slice k. */
  showStudyAt(studyId: string, k: number): void {
    this.showStudy({ studyId, k });
  }

  /** Opens a study (or moves the open one) with the crosshair on a file voxel. */
  showStudyAtVoxel(studyId: string, voxel: [number, number, number]): void {
    this.showStudy({ studyId, voxel });
  }

  private showStudy(target: ShowTarget): void {
    this.pending = target;
    const state = useEditStore.getState();
    if (state.studyId === target.studyId && !state.loading) this.showPendingSlice(target.studyId);
    else useStudiesStore.getState().select(target.studyId);
  }

  private showPendingSlice(studyId: string): void {
    const session = this.ctx.session;
    const pending = this.pending;
    if (pending?.studyId !== studyId || !session) return;
    if (pending.voxel) session.navigation.jumpToVoxel(pending.voxel);
    else if (pending.k !== undefined) session.navigation.showFileSlice(2, pending.k);
    this.pending = null;
  }
}
