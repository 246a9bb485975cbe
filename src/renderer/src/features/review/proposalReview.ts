// Proposal review in the editor (renderer, no UI): a study with a proposal of the active model
// opens with the model's mask instead of its label (it is the study loader's label source),
// drawn as a proposal and never autosaved as a label — its edits are held from label editing
// and saved as a draft in the project instead (reviewDrafts.ts), so a reload brings them back.
// Accepting saves exactly what is on screen as a label version; rejecting records the decision
// (undoable). A study a person has started labeling shows its proposal as a reference layer
// (proposalReference.ts). When another model becomes active, the open study follows it
// (activeModelFollower.ts).
import type { LabelVersion, StudyStatus } from '../../../../shared/contract/project';
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import type { EditorContext } from '../editor/context';
import { AUTOSAVE_DELAY_MS, type EditHolder, type LabelEditing } from '../editor/labelEditing';
import { useEditStore } from '../editor/store';
import type { LabelSource, OpenPlan, StudyLoader } from '../editor/studyLoader';
import { useStudiesStore } from '../studies/store';
import { ActiveModelFollower } from './activeModelFollower';
import type { ShownProposal } from './followActiveModel';
import {
  fetchDraft,
  fetchProposalLabels,
  sendAccept,
  sendDiscardDraft,
  sendReject,
  sendUndoReject,
  type LoadedProposal,
} from './proposalApi';
import { ProposalReference } from './proposalReference';
import { ReviewDrafts, type MemoryDraft } from './reviewDrafts';

/** Statuses of a study a person has started labeling: its proposal is only a reference. */
const PERSONS_OWN: ReadonlySet<StudyStatus | undefined> = new Set(['in-progress', 'partial']);

export interface ProposalReviewOptions {
  draftDelayMs?: number;
}

export class ProposalReview implements LabelSource, EditHolder {
  readonly reference: ProposalReference;
  /** The proposal in view while reviewing one. */
  private inView: LoadedProposal | null = null;
  private readonly drafts: ReviewDrafts;
  /** The proposal in view started from a draft, so it counts as edited from the start. */
  private draftRestored = false;
  private readonly follower: ActiveModelFollower;

  constructor(
    private readonly ctx: EditorContext,
    private readonly loader: Pick<
      StudyLoader,
      'loadCount' | 'reload' | 'setLabelSource' | 'onLeaving' | 'onOpened'
    >,
    private readonly editing: Pick<LabelEditing, 'hold' | 'adopt'>,
    options: ProposalReviewOptions = {},
  ) {
    this.drafts = new ReviewDrafts(ctx, options.draftDelayMs ?? AUTOSAVE_DELAY_MS);
    this.reference = new ProposalReference(ctx);
    loader.setLabelSource(this);
    loader.onLeaving(() => this.leave());
    this.follower = new ActiveModelFollower(this, loader);
  }

  /** Studies whose edited proposal is only in this page's memory (its draft not saved yet). */
  get draftStudies(): string[] {
    return this.drafts.studies;
  }

  /** True while edits of a proposal exist that the back end does not have. */
  get unsavedDraft(): boolean {
    return this.drafts.unsaved;
  }

  async prepare(
    studyId: string,
    study: { status: StudyStatus | undefined; unsaved: boolean },
  ): Promise<OpenPlan> {
    if (PERSONS_OWN.has(study.status)) {
      // Only a proposal the active model has: asking for others would be a failed request.
      const { modelId, proposals } = this.follower.active;
      const has = proposals.some((p) => p.studyId === studyId && p.modelId === modelId);
      const mask = has ? await this.reference.fetch(studyId) : null;
      return {
        labels: () => null,
        opened: () => {
          this.reference.show(mask);
          return {};
        },
      };
    }
    // A proposal that vanished meanwhile just opens the study as it is.
    const proposal =
      study.status === 'proposal' && !study.unsaved
        ? await fetchProposalLabels(this.ctx.api, studyId).catch(() => null)
        : null;
    const saved = proposal
      ? await fetchDraft(this.ctx.api, studyId, proposal.modelId).catch(() => null)
      : null;
    let kept: MemoryDraft | null = null;
    let draft: { labels: Uint8Array; savedAt: string | null; dirty: boolean } | null = null;
    return {
      labels: (baseVersion) => {
        // Peeked, and dropped only once this load stands: a quicker switch must not lose it.
        kept = this.drafts.peek(studyId);
        // Edits of an older model's proposal, or over a label saved since, do not carry over.
        const base = baseVersion ?? null;
        if (kept && proposal?.modelId === kept.modelId && kept.baseVersion === base)
          draft = { labels: kept.labels, savedAt: saved?.savedAt ?? null, dirty: true };
        else if (saved && base === null && saved.data.length === proposal?.data.length)
          draft = { labels: saved.data, savedAt: saved.savedAt, dirty: false };
        else draft = null;
        return draft ? draft.labels.slice() : proposal ? proposal.data.slice() : null;
      },
      opened: (baseVersion) => {
        if (kept) this.drafts.drop(studyId, kept);
        if (!proposal) {
          return {
            message: kept
              ? `Your edits of the proposal of ${kept.modelId} were not kept: that proposal is no longer the one to review.`
              : null,
          };
        }
        this.inView = {
          modelId: proposal.modelId,
          original: proposal.data,
          baseVersion: baseVersion ?? null,
        };
        this.ctx.session?.review.setLabelmapMode('proposal');
        this.draftRestored = Boolean(draft);
        this.editing.hold(this);
        const saver = this.drafts.start(studyId, this.inView, draft);
        const { status, savedAt, error } = saver.current;
        return {
          review: {
            modelId: proposal.modelId,
            edited: Boolean(draft),
            busy: false,
            draft: status,
            draftSavedAt: savedAt,
            draftError: error,
          },
          message: draft
            ? `Your edits of the proposal of ${proposal.modelId} are back: accept to save them as a label, or discard them.`
            : kept
              ? `Your edits of the proposal of ${kept.modelId} were not kept: that proposal is no longer the one to review.`
              : null,
        };
      },
    };
  }

  /** Label editing reports a change of the proposal in view. */
  changed(undoCount: number): void {
    const review = useEditStore.getState().review;
    if (!review) return;
    useEditStore.setState({ review: { ...review, edited: this.draftRestored || undoCount > 0 } });
    this.drafts.changed();
  }

  /** Saves the draft of the proposal in view now (e.g. before the page unloads). */
  saveDraftNow(): void {
    void this.drafts.flushNow();
  }

  /**
   * Saves the proposal in view — exactly the voxels on screen, with its model's id — as the
   * study's new final label version; the editor then shows it as an ordinary label. Throws
   * what the back end refused (CONFLICT when that model is no longer the active one).
   */
  async accept(): Promise<LabelVersion | null> {
    const { studyId, review } = useEditStore.getState();
    const proposal = this.inView;
    const session = this.ctx.session;
    if (!studyId || !review || !proposal || !session || review.busy) return null;
    session.labels.flush();
    const current = session.labels.read();
    if (!current) return null;
    const token = this.loader.loadCount;
    useEditStore.setState({ review: { ...review, busy: true } });
    try {
      const result = await sendAccept(this.ctx.api, studyId, proposal, current);
      useStudiesStore.getState().updateStudy(result.study);
      if (token !== this.loader.loadCount) return result.version;
      this.drafts.stop(); // the back end dropped the draft: it is a label version now
      this.inView = null;
      this.editing.adopt(studyId, result.version.id);
      this.ctx.session?.review.setLabelmapMode('human');
      const { provenance } = result.version;
      useEditStore.setState({
        review: null,
        final: result.version.final,
        message: `Saved the proposal of ${proposal.modelId} as label ${result.version.id}${
          provenance.kind === 'model' && provenance.edited ? ' (edited)' : ''
        }.`,
      });
      return result.version;
    } catch (error) {
      if (token === this.loader.loadCount)
        useEditStore.setState({ review: { ...review, busy: false } });
      throw error;
    }
  }

  /**
   * Records that the proposal in view is wrong and shows the study without it. Its draft stays
   * in the project, so undoing the rejection brings the edits back. Returns what to undo.
   */
  async reject(): Promise<{ studyId: string; modelId: string } | null> {
    const { studyId, review } = useEditStore.getState();
    const proposal = this.inView;
    if (!studyId || !review || !proposal || review.busy) return null;
    useEditStore.setState({ review: { ...review, busy: true } });
    try {
      await this.drafts.flushNow();
      const study = await sendReject(this.ctx.api, studyId, proposal.modelId);
      useStudiesStore.getState().updateStudy(study);
    } catch (error) {
      if (useEditStore.getState().studyId === studyId)
        useEditStore.setState({ review: { ...review, busy: false } });
      throw error;
    }
    const decided = { studyId, modelId: proposal.modelId };
    if (useEditStore.getState().studyId !== studyId) return decided;
    this.drafts.stop();
    this.inView = null;
    await this.loader.reload(studyId);
    return decided;
  }

  /** Takes a rejection back: the proposal is to review again (with its draft, if any). */
  async undoReject(studyId: string, modelId: string): Promise<void> {
    useStudiesStore.getState().updateStudy(await sendUndoReject(this.ctx.api, studyId, modelId));
    if (useEditStore.getState().studyId === studyId) await this.loader.reload(studyId);
  }

  /** Throws the edits of the proposal in view away (its draft too) and shows it as predicted. */
  async discardEdits(): Promise<void> {
    const { studyId } = useEditStore.getState();
    const proposal = this.inView;
    if (!studyId || !proposal) return;
    this.drafts.stop();
    this.drafts.forget(studyId);
    await sendDiscardDraft(this.ctx.api, studyId, proposal.modelId);
    this.inView = null;
    await this.loader.reload(studyId);
    useEditStore.setState({
      message: `Discarded your edits of the proposal of ${proposal.modelId}.`,
    });
  }

  /**
   * The active model or its proposals changed (a model finished, another was chosen, a
   * decision was made elsewhere): brings the open study's proposal, banner and overlay up to
   * date together — a reference is redrawn, a proposal under review reopens the study.
   */
  async follow(modelId: string | null, proposals: readonly ProposalInfo[]): Promise<void> {
    return this.follower.follow(modelId, proposals);
  }

  /** What the open study shows of a model's proposals (for the follower). */
  shown(): ShownProposal | null {
    if (this.inView) return { kind: 'proposal', modelId: this.inView.modelId };
    const reference = this.reference.current;
    return reference ? { kind: 'reference', modelId: reference.modelId } : null;
  }

  /** The view leaves the study: its edited proposal's draft is saved now (kept in memory until then). */
  private leave(): void {
    this.drafts.leave(useEditStore.getState().studyId, this.inView);
    this.inView = null;
    this.draftRestored = false;
    this.reference.forget();
  }
}
