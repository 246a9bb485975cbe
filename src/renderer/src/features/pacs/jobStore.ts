// The project's PACS job (renderer, zustand): the running or last retrieve / SEG export as the
// back end reports it (`pacs.status`, then `pacsJobChanged` events, so a reloaded window finds
// it again), and the retrieves an interruption left to resume or discard. One job runs per
// project; the SEG export panel (features/project) starts its job here too.
import { create } from 'zustand';
import type { ApiParams } from '../../../../shared/contract/api';
import type { PacsJobState, PartialRetrieve } from '../../../../shared/contract/pacs';
import { api, subscribeToEvents } from '../../api/client';
import { useStudiesStore } from '../studies/store';
import { errorLine } from './errorText';
import { jobEnded } from './jobText';

interface PacsJobStoreState {
  job: PacsJobState | null;
  partial: PartialRetrieve[];
  /** Starting, cancelling or discarding failed (a job's own failure is in `job.error`). */
  error: string | null;
  /** Follows the job's events and loads the status; returns the unsubscribe. */
  connect(): () => void;
  /** `quiet`: a job found already ended is shown, not acted on (refresh, listeners). */
  loadStatus(quiet?: boolean): Promise<void>;
  retrieve(params: ApiParams<'pacs.retrieve'>): Promise<boolean>;
  exportSeg(params: ApiParams<'pacs.exportSeg'>): Promise<boolean>;
  cancel(): Promise<void>;
  discard(key: string): Promise<void>;
  /** Listeners run once when a job ends (e.g. the search refreshing "already imported"). */
  onEnded(listener: (job: PacsJobState) => void): () => void;
}

const endedListeners = new Set<(job: PacsJobState) => void>();

export const usePacsJobStore = create<PacsJobStoreState>((set, get) => {
  /** Jobs whose end was already handled (or found ended when the panel connected). */
  const handled = new Set<string>();
  const apply = (job: PacsJobState, quiet = false) => {
    const before = get().job;
    // Events of an older job never replace a newer one's state, and a start answer that
    // arrives after the job's last event never revives it.
    if (before && before.id !== job.id && job.startedAt < before.startedAt) return;
    if (before?.id === job.id && jobEnded(before) && !jobEnded(job)) return;
    set({ job });
    if (!jobEnded(job) || handled.has(job.id)) return;
    handled.add(job.id);
    if (quiet) return;
    // A finished retrieve added studies; a stopped one may have left a partial download.
    void get().loadStatus();
    if (job.kind === 'retrieve') void useStudiesStore.getState().refresh();
    for (const listener of endedListeners) listener(job);
  };
  const start = async (run: () => Promise<{ job: PacsJobState }>) => {
    set({ error: null });
    try {
      apply((await run()).job);
      return true;
    } catch (error) {
      set({ error: errorLine(error) });
      return false;
    }
  };
  return {
    job: null,
    partial: [],
    error: null,

    connect() {
      void get().loadStatus(true);
      return subscribeToEvents(({ event, payload }) => {
        if (event === 'pacsJobChanged') apply(payload as PacsJobState);
      });
    },

    async loadStatus(quiet = false) {
      try {
        const { job, partial } = await api.call('pacs.status', {});
        set({ partial });
        if (job) apply(job, quiet);
      } catch (error) {
        set({ error: errorLine(error) });
      }
    },

    retrieve: (params) => start(() => api.call('pacs.retrieve', params)),
    exportSeg: (params) => start(() => api.call('pacs.exportSeg', params)),

    async cancel() {
      try {
        const { job } = await api.call('pacs.cancel', {});
        if (job) apply(job);
      } catch (error) {
        set({ error: errorLine(error) });
      }
    },

    async discard(key) {
      try {
        await api.call('pacs.discardPartial', { key });
        await get().loadStatus();
      } catch (error) {
        set({ error: errorLine(error) });
      }
    },

    onEnded(listener) {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
  };
});
