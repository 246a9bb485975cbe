// Review state (renderer, zustand): model versions and the active one, the active model's
// proposals with their decisions, the prediction job, and the review actions — accept, reject,
// next study, predict, use another model. Kept fresh by back-end events.
import { create } from 'zustand';
import { api, subscribeToEvents } from '../../api/client';
import type { ModelListEntry } from '../../../../shared/contract/models';
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import type { JobState } from '../../../../shared/contract/training';
import { studyLoader } from '../editor/instance';
import { useEditStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import { proposalReview } from './instance';

type ReviewAction = 'accept' | 'reject' | 'next' | 'predict' | 'activate';

interface ReviewState {
  models: ModelListEntry[];
  activeModelId: string | null;
  proposals: ProposalInfo[];
  /** The latest prediction job (proposals being made), if any. */
  job: JobState | null;
  busy: ReviewAction | null;
  error: string | null;
  message: string | null;
  refresh(): Promise<void>;
  /** Follows back-end events; returns the unsubscribe. */
  connect(): () => void;
  accept(): Promise<void>;
  reject(): Promise<void>;
  next(): Promise<void>;
  predict(): Promise<void>;
  setActive(modelId: string): Promise<void>;
}

export const useReviewStore = create<ReviewState>((set, get) => {
  /** Runs one user action, showing what failed instead of throwing. */
  const run = async (action: ReviewAction, work: () => Promise<string | null | void>) => {
    if (get().busy) return;
    set({ busy: action, error: null, message: null });
    try {
      const message = await work();
      set({ busy: null, message: message ?? null });
    } catch (error) {
      set({ busy: null, error: (error as Error).message });
    }
  };

  return {
    models: [],
    activeModelId: null,
    proposals: [],
    job: null,
    busy: null,
    error: null,
    message: null,

    async refresh() {
      try {
        const [list, proposals] = await Promise.all([
          api.call('models.list', {}),
          api.call('proposals.list', {}),
        ]);
        set({
          models: list.models,
          activeModelId: list.activeModelId,
          proposals: proposals.proposals,
        });
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
        const version = await proposalReview.accept();
        return version ? null : 'Open a study with a proposal to accept it.';
      }),

    reject: () => run('reject', () => proposalReview.reject()),

    next: () =>
      run('next', async () => {
        const { studies } = await api.call('studies.rank', {});
        const open = useEditStore.getState().studyId;
        const pick = studies.find((s) => s.studyId !== open) ?? studies[0];
        if (!pick) return 'No study is waiting for review.';
        if (pick.studyId === open) return 'This is the last study waiting for review.';
        studyLoader.showStudyAt(pick.studyId, pick.slice);
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
