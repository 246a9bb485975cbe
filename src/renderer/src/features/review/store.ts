// Review state (renderer, zustand): model versions and the active one, the active model's
// proposals with their facts and decisions, the prediction job, the studies left undecided with
// "Next study" this round, and the review actions — accept, reject (asked once, undoable), next
// study, discard edits, predict, use another model. Kept fresh by back-end events; after each
// refresh the open study follows the active model (proposalReview.follow).
import { create } from 'zustand';
import { api, subscribeToEvents } from '../../api/client';
import type { ModelListEntry } from '../../../../shared/contract/models';
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import type { JobState } from '../../../../shared/contract/training';
import { studyLoader } from '../editor/instance';
import { useEditStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import { proposalReview } from './instance';
import { withSkipped } from './skipped';

type ReviewAction = 'accept' | 'reject' | 'undo' | 'discard' | 'next' | 'predict' | 'activate';

interface ReviewState {
  models: ModelListEntry[];
  activeModelId: string | null;
  /** The active model's Dice on its validation studies; null: not validated. */
  validationDice: number | null;
  proposals: ProposalInfo[];
  /** The latest prediction job (proposals being made), if any. */
  job: JobState | null;
  busy: ReviewAction | null;
  error: string | null;
  message: string | null;
  /** Studies left undecided with "Next study" this round (this active model), oldest first. */
  skipped: string[];
  /** "Reject" was asked for and waits for the user's confirmation. */
  confirmingReject: boolean;
  /** The last rejection, which the user may still take back. */
  undoable: { studyId: string; modelId: string } | null;
  refresh(): Promise<void>;
  /** Follows back-end events; returns the unsubscribe. */
  connect(): () => void;
  accept(): Promise<void>;
  askReject(): void;
  cancelReject(): void;
  /** Rejects the proposal in view (after askReject, when the user confirmed). */
  reject(): Promise<void>;
  undoReject(): Promise<void>;
  discardEdits(): Promise<void>;
  next(): Promise<void>;
  predict(): Promise<void>;
  setActive(modelId: string): Promise<void>;
}

const statusOf = (studyId: string | null) =>
  useStudiesStore.getState().project?.studies.find((s) => s.id === studyId)?.status;

export const useReviewStore = create<ReviewState>((set, get) => {
  /** Runs one user action, showing what failed instead of throwing. */
  const run = async (action: ReviewAction, work: () => Promise<string | null | void>) => {
    if (get().busy) return;
    set({ busy: action, error: null, message: null, confirmingReject: false });
    try {
      const message = await work();
      set({ busy: null, message: message ?? null });
    } catch (error) {
      set({ busy: null, error: (error as Error).message });
    }
  };
  const decided = (studyId: string) =>
    set({ skipped: get().skipped.filter((id) => id !== studyId) });

  return {
    models: [],
    activeModelId: null,
    validationDice: null,
    proposals: [],
    job: null,
    busy: null,
    error: null,
    message: null,
    skipped: [],
    confirmingReject: false,
    undoable: null,

    async refresh() {
      try {
        const [list, proposals] = await Promise.all([
          api.call('models.list', {}),
          api.call('proposals.list', {}),
        ]);
        const changed = list.activeModelId !== get().activeModelId;
        set({
          models: list.models,
          activeModelId: list.activeModelId,
          validationDice: proposals.validationDice,
          proposals: proposals.proposals,
          // A new round: what was skipped was skipped for the old model's proposals.
          ...(changed ? { skipped: [], undoable: null } : {}),
        });
        await proposalReview.follow(list.activeModelId, proposals.proposals);
      } catch (error) {
        set({ error: (error as Error).message });
      }
    },

    connect() {
      void get().refresh();
      return subscribeToEvents(({ event, payload }) => {
        // The study list follows these events itself (connectStudiesStore).
        if (event === 'reviewChanged' || event === 'projectChanged') {
          void get().refresh();
        } else if (event === 'jobChanged') {
          const job = payload as JobState;
          if (job.kind === 'prediction') set({ job });
          // A finished training registered a new model (and made it active).
          if (job.kind === 'training' && job.phase === 'finished') void get().refresh();
        }
      });
    },

    accept: () =>
      run('accept', async () => {
        const studyId = useEditStore.getState().studyId;
        const version = await proposalReview.accept();
        if (!version) return 'Open a study with a proposal to accept it.';
        if (studyId) decided(studyId);
        return null;
      }),

    askReject() {
      if (useEditStore.getState().review && !get().busy) set({ confirmingReject: true });
    },

    cancelReject() {
      set({ confirmingReject: false });
    },

    reject: () =>
      run('reject', async () => {
        const rejected = await proposalReview.reject();
        if (!rejected) return 'Open a study with a proposal to reject it.';
        decided(rejected.studyId);
        set({ undoable: rejected });
        return null;
      }),

    undoReject: () =>
      run('undo', async () => {
        const undoable = get().undoable;
        if (!undoable) return null;
        await proposalReview.undoReject(undoable.studyId, undoable.modelId);
        set({ undoable: null });
        return `The proposal of ${undoable.modelId} for ${undoable.studyId} is to review again.`;
      }),

    discardEdits: () => run('discard', () => proposalReview.discardEdits()),

    next: () =>
      run('next', async () => {
        const open = useEditStore.getState().studyId;
        // Leaving a study undecided skips it this round: Next does not come back to it while
        // another one waits.
        const skipped =
          open && statusOf(open) === 'proposal' ? withSkipped(get().skipped, open) : get().skipped;
        set({ skipped });
        const { next } = await api.call('studies.next', { current: open, skipped });
        if (!next)
          return open && statusOf(open) === 'proposal'
            ? 'This is the last study waiting for review.'
            : 'No study is waiting for review.';
        studyLoader.showStudyAt(next.studyId, next.slice);
        return null;
      }),

    predict: () =>
      run('predict', async () => {
        const { job } = await api.call('proposals.predict', {});
        set({ job });
        return null;
      }),

    setActive: (modelId) =>
      run('activate', async () => {
        await api.call('models.setActive', { modelId });
        await get().refresh();
        await useStudiesStore.getState().refresh();
        return `${modelId} is now the active model.`;
      }),
  };
});
