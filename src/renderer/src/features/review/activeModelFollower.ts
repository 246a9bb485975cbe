// Following the active model in the open study (renderer, no UI): when the active model or its
// proposals change, the open study catches up — a reference layer is redrawn, a proposal under
// review reopens the study — once its load stands, and never twice for the same change.
// What to show is decided by the pure followActiveModel.ts.
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import { useEditStore } from '../editor/store';
import type { StudyLoader } from '../editor/studyLoader';
import { useStudiesStore } from '../studies/store';
import { followAction, wantedFor, type ShownProposal } from './followActiveModel';
import type { ProposalReference } from './proposalReference';

export interface FollowedView {
  /** The proposal under review or the reference layer the open study shows now. */
  shown(): ShownProposal | null;
  readonly reference: Pick<ProposalReference, 'show' | 'fetch'>;
}

export class ActiveModelFollower {
  /** The active model and its proposals, as the review store last saw them. */
  active: { modelId: string | null; proposals: readonly ProposalInfo[] } = {
    modelId: null,
    proposals: [],
  };
  private followAgain = false;
  /** The study and state a reload was last made for, so following never loops. */
  private lastFollow = '';

  constructor(
    private readonly view: FollowedView,
    private readonly loader: Pick<StudyLoader, 'reload' | 'onOpened'>,
  ) {
    loader.onOpened(() => {
      if (!this.followAgain) return;
      this.followAgain = false;
      void this.follow(this.active.modelId, this.active.proposals);
    });
  }

  /** See ProposalReview.follow. */
  async follow(modelId: string | null, proposals: readonly ProposalInfo[]): Promise<void> {
    this.active = { modelId, proposals };
    const { studyId, loading, review } = useEditStore.getState();
    if (!studyId) return;
    if (loading) {
      this.followAgain = true; // decided once this load stands
      return;
    }
    const wanted = wantedFor(studyId, modelId, proposals);
    const shown = this.view.shown();
    const action = followAction(shown, wanted);
    const key = `${studyId}:${wanted?.kind}:${wanted?.modelId}`;
    if (action === 'none') {
      this.lastFollow = '';
      return;
    }
    if (action === 'reference') {
      this.view.reference.show(wanted ? await this.view.reference.fetch(studyId) : null);
      return;
    }
    if (this.lastFollow === key) return; // reopened for this already
    this.lastFollow = key;
    const before = shown?.kind === 'proposal' ? shown.modelId : undefined;
    const edited = Boolean(review?.edited);
    // The study's status decides how it opens: take the back end's, not an older one.
    await useStudiesStore.getState().refresh();
    if (useEditStore.getState().studyId !== studyId) return;
    await this.loader.reload(studyId);
    if (
      before &&
      wanted &&
      before !== wanted.modelId &&
      useEditStore.getState().studyId === studyId
    )
      useEditStore.setState({
        message: `${wanted.modelId} is the active model now: its proposal replaces the one of ${before}${
          edited ? ` (your edits of ${before}'s proposal are kept as its draft)` : ''
        }.`,
      });
  }
}
