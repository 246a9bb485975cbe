// The demo's "Getting started" checklist state (renderer, zustand): ticks itself from project
// state read through the API and from export events; ticks and dismissal are remembered per
// project in localStorage (exports leave no record in the project to read back).
import { create } from 'zustand';
import { labelCoverage } from '../../../../shared/contract/project';
import { api, subscribeToEvents } from '../../api/client';
import { useStudiesStore } from '../studies/store';
import { checklistDone, studiesWithLabels, type ChecklistDone } from './checklist';

interface Remembered {
  dismissed: boolean;
  done: Partial<ChecklistDone>;
}

interface ChecklistState {
  root: string | null;
  done: ChecklistDone;
  dismissed: boolean;
  refresh(): Promise<void>;
  dismiss(): void;
  /** Follows the project at `root`; returns the unsubscribe. */
  connect(root: string): () => void;
}

const NOTHING_DONE: ChecklistDone = { annotate: false, train: false, review: false, export: false };
const storageKey = (root: string) => `simcvd.gettingStarted:${root}`;

function recall(root: string): Remembered {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(root)) ?? 'null') as Remembered | null;
    return { dismissed: saved?.dismissed === true, done: saved?.done ?? {} };
  } catch {
    return { dismissed: false, done: {} };
  }
}

export const useChecklistStore = create<ChecklistState>((set, get) => {
  const remember = () => {
    const { root, done, dismissed } = get();
    if (root) localStorage.setItem(storageKey(root), JSON.stringify({ dismissed, done }));
  };
  /** A step once done stays done (deleting the label drawn later does not untick it). */
  const tick = (found: Partial<ChecklistDone>) => {
    const done = { ...get().done };
    for (const [step, value] of Object.entries(found))
      if (value) done[step as keyof ChecklistDone] = true;
    set({ done });
    remember();
  };

  return {
    root: null,
    done: NOTHING_DONE,
    dismissed: false,

    async refresh() {
      const root = get().root;
      const project = useStudiesStore.getState().project;
      if (!root || project?.root !== root) return;
      const studies = project.studies;
      const done = get().done;
      let humanLabeledStudies = 0;
      if (!done.annotate) {
        const histories = await Promise.all(
          studiesWithLabels(studies).map((studyId) =>
            api.call('labels.list', { studyId }).catch(() => null),
          ),
        );
        humanLabeledStudies = histories.filter((h) =>
          h?.versions.some(
            (v) => v.provenance.kind === 'human' && (v.final || labelCoverage(v) === 'partial'),
          ),
        ).length;
      }
      const modelProfiles = done.train
        ? []
        : await api.call('models.list', {}).then(
            (r) => r.models.map((m) => m.profile),
            () => [],
          );
      if (get().root !== root) return;
      tick(checklistDone({ studies, humanLabeledStudies, modelProfiles, exported: done.export }));
    },

    dismiss() {
      set({ dismissed: true });
      remember();
    },

    connect(root) {
      const saved = recall(root);
      set({ root, dismissed: saved.dismissed, done: { ...NOTHING_DONE, ...saved.done } });
      void get().refresh();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const soon = () => {
        clearTimeout(timer);
        timer = setTimeout(() => void get().refresh(), 500);
      };
      // The studies list changes after saves, reviews and imports: re-read then.
      const unsubscribeStudies = useStudiesStore.subscribe((state, before) => {
        if (state.project !== before.project) soon();
      });
      const unsubscribeEvents = subscribeToEvents(({ event, payload }) => {
        if (event === 'exportProgressed') {
          const { done, total } = payload as { done: number; total: number };
          if (done === total) tick({ export: true });
        } else if (event === 'jobChanged' || event === 'reviewChanged') soon();
      });
      return () => {
        clearTimeout(timer);
        unsubscribeStudies();
        unsubscribeEvents();
        if (get().root === root) set({ root: null });
      };
    },
  };
});
