// Training state (renderer, zustand): the project's job, its loss rows and validation points,
// the time estimate and the live preview. Filled from `training.status` on load (so a reloaded
// window finds a running job and its curves) and kept current by back-end events, applied in
// batches so a fast trainer never makes the UI re-render per iteration.
import { create } from 'zustand';
import type {
  TrainingApiResults,
  TrainingEstimate,
  StartFrom,
  TrainingOptions,
  TrainingProfileChoice,
} from '../../../../shared/contract/training';
import { api, subscribeToEvents } from '../../api/client';
import {
  applyEvents,
  EMPTY_TRAINING,
  fromStatus,
  isEnded,
  type TrainingData,
  type TrainingEvent,
} from './reducers';
import { estimateKey } from './estimateText';
import { previewDue, type LastPreview, type PreviewTarget } from './preview';

export const EVENT_BATCH_MS = 200;

export interface StartRequest {
  profile: TrainingProfileChoice;
  options?: TrainingOptions;
  resume?: boolean;
  predictAfter?: boolean;
  from?: StartFrom;
}

interface TrainingStore extends TrainingData {
  loaded: boolean;
  loadError: string | null;
  /** The last Start/Cancel failure, shown until the next action. */
  actionError: string | null;
  requesting: boolean;
  estimate: TrainingEstimate | null;
  /** Which choices the estimate shown answers (estimateText.estimateKey). */
  estimateKey: string | null;
  estimating: boolean;
  estimateError: string | null;
  load(): Promise<void>;
  start(request: StartRequest): Promise<void>;
  cancel(): Promise<void>;
  requestEstimate(
    profile: TrainingProfileChoice,
    options?: TrainingOptions,
    from?: StartFrom,
  ): Promise<void>;
}

let estimateToken = 0;

export const useTrainingStore = create<TrainingStore>((set) => ({
  ...EMPTY_TRAINING,
  loaded: false,
  loadError: null,
  actionError: null,
  requesting: false,
  estimate: null,
  estimateKey: null,
  estimating: false,
  estimateError: null,

  async load() {
    try {
      const status = await api.call('training.status', {});
      // Events that arrived while the status was on its way are newer: replay them on top.
      const early = pending.splice(0);
      set({ ...applyEvents(fromStatus(status), early), loaded: true, loadError: null });
    } catch (error) {
      set({ ...EMPTY_TRAINING, loaded: true, loadError: (error as Error).message });
    }
  },

  async start(request) {
    set({ requesting: true, actionError: null });
    try {
      const { job } = await api.call('training.start', request);
      set((s) => applyEvents(s, [{ event: 'jobChanged', payload: job }]));
    } catch (error) {
      set({ actionError: (error as Error).message });
    } finally {
      set({ requesting: false });
    }
  },

  async cancel() {
    set({ requesting: true, actionError: null });
    try {
      await api.call('training.cancel', {});
    } catch (error) {
      set({ actionError: (error as Error).message });
    } finally {
      set({ requesting: false });
    }
  },

  async requestEstimate(profile, options, from) {
    const token = ++estimateToken;
    set({ estimating: true, estimateError: null });
    try {
      const estimate = await api.call('training.estimate', { profile, options, from });
      if (token === estimateToken)
        set({ estimate, estimateKey: estimateKey(profile, options, from), estimating: false });
    } catch (error) {
      if (token === estimateToken)
        set({
          estimate: null,
          estimateKey: null,
          estimating: false,
          estimateError: (error as Error).message,
        });
    }
  },
}));

const pending: TrainingEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  flushTimer = undefined;
  const state = useTrainingStore.getState();
  if (!state.loaded) return; // load() replays them
  const events = pending.splice(0);
  const before = state.job;
  useTrainingStore.setState((s) => applyEvents(s, events));
  const after = useTrainingStore.getState().job;
  // A run that just ended may have left (or used up) a checkpoint to resume.
  if (after && isEnded(after) && !isEnded(before)) void useTrainingStore.getState().load();
}

/** Starts following the project's training; returns the unsubscribe. */
export function connectTraining(): () => void {
  const unsubscribe = subscribeToEvents((message) => {
    if (message.event === 'jobChanged' || message.event === 'trainingProgressed') {
      pending.push(message as TrainingEvent);
      flushTimer ??= setTimeout(flush, EVENT_BATCH_MS);
    } else if (message.event === 'projectChanged') {
      pending.length = 0;
      useTrainingStore.setState({ ...EMPTY_TRAINING, loaded: false, estimate: null });
      void useTrainingStore.getState().load();
    }
  });
  void useTrainingStore.getState().load();
  return () => {
    unsubscribe();
    clearTimeout(flushTimer);
    flushTimer = undefined;
  };
}

// ---- live preview ------------------------------------------------------------------------

export type PreviewResult = TrainingApiResults['training.preview'];

interface PreviewStore {
  enabled: boolean;
  /** The slice asked for (the axial slice in view, or chosen in the panel). */
  target: PreviewTarget | null;
  result: PreviewResult | null;
  inFlight: boolean;
  last: LastPreview | null;
  error: string | null;
  setEnabled(enabled: boolean): void;
  setTarget(target: PreviewTarget | null): void;
  /** Fetches when due (slice changed, or training moved on); safe to call often. */
  refresh(iteration: number | undefined, force?: boolean): Promise<void>;
}

export const usePreviewStore = create<PreviewStore>((set, get) => ({
  enabled: false,
  target: null,
  result: null,
  inFlight: false,
  last: null,
  error: null,
  setEnabled(enabled) {
    set({ enabled, error: null, ...(enabled ? {} : { last: null }) });
  },
  setTarget(target) {
    const current = get().target;
    if (current?.studyId === target?.studyId && current?.k === target?.k) return;
    set({ target });
  },
  async refresh(iteration, force = false) {
    const { enabled, inFlight, target, last } = get();
    if (!enabled || inFlight || !target) return;
    if (!force && !previewDue(target, iteration, last, Date.now())) return;
    set({
      inFlight: true,
      last: { ...target, iteration: iteration ?? 0, atMs: Date.now() },
    });
    try {
      const result = await api.call('training.preview', {
        studyId: target.studyId,
        k: target.k,
      });
      set({ result, error: null });
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ inFlight: false });
    }
  },
}));
