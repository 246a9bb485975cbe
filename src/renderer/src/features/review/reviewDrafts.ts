// The drafts of edited proposals (renderer, no UI): the draft saver of the proposal in view
// (its state shown in the review banner), and the edits of proposals the user left whose
// draft the back end does not have yet, kept in this page's memory until it does.
import type { EditorContext } from '../editor/context';
import { useEditStore } from '../editor/store';
import { DraftSaver, type DraftState } from './draftSaver';
import { sameLabels, sendDiscardDraft, sendDraft, type LoadedProposal } from './proposalApi';

export type MemoryDraft = LoadedProposal & { labels: Uint8Array };

export class ReviewDrafts {
  private saver: DraftSaver | null = null;
  /** Edited proposals the user left whose draft the back end does not have yet, by study. */
  private readonly memory = new Map<string, MemoryDraft>();

  constructor(
    private readonly ctx: EditorContext,
    private readonly delayMs: number,
  ) {}

  /** Studies whose edited proposal is only in this page's memory (its draft not saved yet). */
  get studies(): string[] {
    return [...this.memory.keys()];
  }

  /** True while edits of a proposal exist that the back end does not have. */
  get unsaved(): boolean {
    return this.memory.size > 0 || Boolean(this.saver?.unsaved);
  }

  /** The memory draft of a study, left in place (a quicker switch must not lose it). */
  peek(studyId: string): MemoryDraft | null {
    return this.memory.get(studyId) ?? null;
  }

  /** Forgets a memory draft (only that one: the user may have left the study again since). */
  drop(studyId: string, draft: MemoryDraft): void {
    if (this.memory.get(studyId) !== draft) return;
    this.memory.delete(studyId);
    this.publish();
  }

  /** Forgets whatever memory draft the study has (its edits are thrown away). */
  forget(studyId: string): void {
    this.memory.delete(studyId);
    this.publish();
  }

  /** Starts saving the drafts of the proposal now in view (`draft`: one it starts from). */
  start(
    studyId: string,
    proposal: LoadedProposal,
    draft: { savedAt: string | null; dirty: boolean } | null,
  ): DraftSaver {
    const { api } = this.ctx;
    const session = this.ctx.session;
    const saver: DraftSaver = new DraftSaver(
      {
        read: () => {
          if (!session || session.labels.strokeInProgress) return null;
          session.labels.flush();
          return session.studyId === studyId ? session.labels.read() : null;
        },
        isOriginal: (labels) => sameLabels(labels, proposal.original),
        save: (labels) => sendDraft(api, studyId, proposal.modelId, labels),
        discard: () => sendDiscardDraft(api, studyId, proposal.modelId),
        onState: (state) => this.showState(saver, state),
      },
      this.delayMs,
      draft ? { savedAt: draft.savedAt, dirty: draft.dirty } : undefined,
    );
    this.saver = saver;
    return saver;
  }

  /** The proposal in view changed. */
  changed(): void {
    this.saver?.changed();
  }

  /** Saves the draft of the proposal in view now. */
  flushNow(): Promise<void> | undefined {
    return this.saver?.flushNow();
  }

  /** Stops saving drafts of the proposal in view (it was decided on, or its edits dropped). */
  stop(): void {
    this.saver?.stop();
    this.saver = null;
  }

  /**
   * The view leaves `studyId`, showing `inView`: its unsaved edits are kept in memory and saved
   * now (dropped from memory once the back end has them); then the saver stops.
   */
  leave(studyId: string | null, inView: LoadedProposal | null): void {
    const session = this.ctx.session;
    const saver = this.saver;
    if (studyId && inView && saver?.unsaved && session) {
      session.labels.flush();
      const labels = session.labels.read();
      if (labels && !sameLabels(labels, inView.original)) {
        const draft: MemoryDraft = { ...inView, labels: labels.slice() };
        this.memory.set(studyId, draft);
        this.publish();
        void saver.flushNow().then(() => {
          if (!saver.unsaved) this.drop(studyId, draft);
        });
      } else void saver.flushNow();
    }
    saver?.stop();
    this.saver = null;
  }

  private showState(saver: DraftSaver, state: DraftState): void {
    const review = useEditStore.getState().review;
    if (this.saver !== saver || !review) return;
    useEditStore.setState({
      review: {
        ...review,
        draft: state.status,
        draftSavedAt: state.savedAt,
        draftError: state.error,
      },
    });
  }

  private publish(): void {
    useEditStore.setState({ reviewDrafts: this.studies });
  }
}
