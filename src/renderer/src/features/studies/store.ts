// Study list state (renderer, zustand): the open project (or none: then the app shows the welcome
// screen), what the shell knows besides it (recent projects, settings), the study in view and
// the list query. Loaded through `app.state`; kept current by the project events.
import { create } from 'zustand';
import type { ProjectInfo } from '../../../../shared/contract/project';
import type { AppState } from '../../../../shared/contract/app';
import type { LabelClass, StudySummary } from '../../../../shared/contract/project';
import { api, subscribeToEvents } from '../../api/client';
import { DEFAULT_QUERY, type StudyQuery } from './studyFilters';

/** Everything `app.state` tells besides the project. */
export type ShellInfo = Omit<AppState, 'project'>;

interface StudiesState {
  project: ProjectInfo | null;
  /** Null until the first `app.state` answered. */
  app: ShellInfo | null;
  loading: boolean;
  error: string | null;
  /** The study open in the viewer. */
  currentStudyId: string | null;
  query: StudyQuery;
  refresh(): Promise<void>;
  /** Takes the state an `app.*` call returned (open, create, close…) without asking again. */
  applyAppState(state: AppState): void;
  select(studyId: string): void;
  setQuery(patch: Partial<StudyQuery>): void;
  /** Replaces one row after a save changed its status or counts. */
  updateStudy(summary: StudySummary): void;
  saveLabelClasses(labels: LabelClass[]): Promise<void>;
}

let inFlight: Promise<void> | null = null;
let again = false;

export const useStudiesStore = create<StudiesState>((set, get) => ({
  project: null,
  app: null,
  loading: false,
  error: null,
  currentStudyId: null,
  query: DEFAULT_QUERY,
  refresh() {
    // Events come in bursts (several panels refresh on the same change): one request at a
    // time, and one more after it if asked meanwhile, so the last answer is never stale.
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        set({ loading: true });
        try {
          get().applyAppState(await api.call('app.state', {}));
        } catch (error) {
          set({ error: (error as Error).message, loading: false });
        }
      } while (again);
      inFlight = null;
    })();
    return inFlight;
  },
  applyAppState({ project, ...app }) {
    const sameProject = project?.root === get().project?.root;
    const current = get().currentStudyId;
    set({
      project,
      app,
      loading: false,
      error: null,
      currentStudyId:
        sameProject && project?.studies.some((s) => s.id === current) ? current : null,
      ...(sameProject ? {} : { query: DEFAULT_QUERY }),
    });
  },
  select(studyId) {
    set({ currentStudyId: studyId });
  },
  setQuery(patch) {
    set({ query: { ...get().query, ...patch } });
  },
  updateStudy(summary) {
    const project = get().project;
    if (!project) return;
    set({
      project: {
        ...project,
        studies: project.studies.map((s) => (s.id === summary.id ? summary : s)),
      },
    });
  },
  async saveLabelClasses(labels) {
    const result = await api.call('project.setLabelClasses', { labels });
    const project = get().project;
    if (project) set({ project: { ...project, labels: result.labels } });
  },
}));

/** Loads the state and follows the events that change it; returns the unsubscribe. */
export function connectStudiesStore(): () => void {
  const { refresh } = useStudiesStore.getState();
  void refresh();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 250);
  };
  const unsubscribe = subscribeToEvents(({ event, payload }) => {
    if (event === 'projectChanged') void refresh();
    else if (event === 'importProgressed') {
      const { done, total } = payload as { done: number; total: number };
      if (done === total) soon();
    } else if (event === 'reviewChanged' || event === 'labelSaved') soon();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
