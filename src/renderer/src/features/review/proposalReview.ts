// Proposal review in the editor (renderer, no UI): a study with a proposal of the active model
// opens with the model's mask instead of its label (it is the study loader's label source),
// drawn as a proposal and never autosaved — its edits are held from label editing. Accepting
// saves it (with the user's edits) as a label version; rejecting drops it. Edits of a proposal
// the user leaves without deciding are kept in memory as a draft and come back when they return.
import type { LabelVersion, StudyStatus } from '../../../../shared/contract/project';
import type { EditorContext } from '../editor/context';
import type { EditHolder, LabelEditing } from '../editor/labelEditing';
import { useEditStore } from '../editor/store';
import type { LabelSource, OpenPlan, StudyLoader } from '../editor/studyLoader';
import { useStudiesStore } from '../studies/store';
import { fetchProposalLabels, sendAccept, sendReject, type LoadedProposal } from './proposalApi';

type Draft = LoadedProposal & { labels: Uint8Array };

export class ProposalReview implements LabelSource, EditHolder {
  /** The proposal in view while reviewing one. */
  private inView: LoadedProposal | null = null;
  /** Edited proposals the user left without accepting, by study. */
  private readonly drafts = new Map<string, Draft>();
  /** The proposal in view started from such a draft, so it counts as edited from the start. */
  private draftRestored = false;

  constructor(
    private readonly ctx: EditorContext,
    private readonly loader: Pick<
      StudyLoader,
      'loadCount' | 'reload' | 'setLabelSource' | 'onLeaving'
    >,
    private readonly editing: Pick<LabelEditing, 'hold' | 'adopt'>,
  ) {
    loader.setLabelSource(this);
    loader.onLeaving(() => this.leave());
  }

  /** Studies whose edited proposal waits in memory for the user to come back and accept it. */
  get draftStudies(): string[] {
    return [...this.drafts.keys()];
  }

  async prepare(
    studyId: string,
    study: { status: StudyStatus | undefined; unsaved: boolean },
  ): Promise<OpenPlan> {
    // A proposal that vanished meanwhile just opens the study as it is.
    const proposal =
      study.status === 'proposal' && !study.unsaved
        ? await fetchProposalLabels(this.ctx.api, studyId).catch(() => null)
        : null;
    let kept: Draft | null = null;
    let draft: Uint8Array | null = null;
    return {
      labels: (baseVersion) => {
        // Peeked, and dropped only once this load stands: a quicker switch must not lose it.
        kept = this.drafts.get(studyId) ?? null;
        // Edits of an older model's proposal, or over a label saved since, do not carry over.
        draft =
          kept && proposal?.modelId === kept.modelId && kept.baseVersion === baseVersion
            ? kept.labels
            : null;
        return draft ? draft.slice() : proposal ? proposal.data.slice() : null;
      },
      opened: (baseVersion) => {
        if (kept) this.dropDraft(studyId);
        if (proposal) {
          this.inView = {
            modelId: proposal.modelId,
            original: proposal.data,
            baseVersion: baseVersion ?? null,
          };
          this.ctx.session?.review.setLabelmapMode('proposal');
          this.draftRestored = Boolean(draft);
          this.editing.hold(this);
        }
        return {
          review: proposal
            ? { modelId: proposal.modelId, edited: Boolean(draft), busy: false }
            : null,
          message: draft
            ? `Your unsaved edits of the proposal of ${kept!.modelId} are back: accept to save them.`
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
  }

  /**
   * Saves the proposal in view (with the user's edits, if any) as the study's new final label
   * version; the editor then shows it as an ordinary label. Throws what the back end refused.
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

  /** Records that the proposal in view is wrong and shows the study without it. */
  async reject(): Promise<void> {
    const { studyId, review } = useEditStore.getState();
    const proposal = this.inView;
    if (!studyId || !review || !proposal || review.busy) return;
    useEditStore.setState({ review: { ...review, busy: true } });
    try {
      useStudiesStore.getState().updateStudy(await sendReject(this.ctx.api, studyId, proposal));
    } catch (error) {
      if (useEditStore.getState().studyId === studyId)
        useEditStore.setState({ review: { ...review, busy: false } });
      throw error;
    }
    if (useEditStore.getState().studyId !== studyId) return;
    this.inView = null;
    await this.loader.reload(studyId);
    useEditStore.setState({ message: `Rejected the proposal of ${proposal.modelId}.` });
  }

  /** The view leaves the study: keeps the edits of the proposal in view as a draft. */
  private leave(): void {
    const { studyId, review } = useEditStore.getState();
    const session = this.ctx.session;
    if (studyId && this.inView && review?.edited && session) {
      session.labels.flush();
      const labels = session.labels.read();
      if (labels) this.drafts.set(studyId, { ...this.inView, labels: labels.slice() });
      this.publishDrafts();
    }
    this.inView = null;
    this.draftRestored = false;
  }

  private dropDraft(studyId: string): void {
    this.drafts.delete(studyId);
    this.publishDrafts();
  }

  private publishDrafts(): void {
    useEditStore.setState({ reviewDrafts: this.draftStudies });
  }
}
