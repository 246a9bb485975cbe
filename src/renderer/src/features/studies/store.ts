// Study list state (renderer, zustand): the project, the study in view and the list query.
// Loaded through the API client; components only read it and call its actions.
import { create } from 'zustand';
import type { ProjectInfo } from '../../../../shared/contract/api';
import type { LabelClass, StudySummary } from '../../../../shared/contract/project';
import { api } from '../../api/client';
import { DEFAULT_QUERY, type StudyQuery } from './studyFilters';

interface StudiesState {
  project: ProjectInfo | null;
  loading: boolean;
  error: string | null;
  /** The study open in the viewer. */
  currentStudyId: string | null;
  query: StudyQuery;
  refresh(): Promise<void>;
  select(studyId: string): void;
  setQuery(patch: Partial<StudyQuery>): void;
  /** Replaces one row after a save changed its status or counts. */
  updateStudy(summary: StudySummary): void;
  saveLabelClasses(labels: LabelClass[]): Promise<void>;
}

export const useStudiesStore = create<StudiesState>((set, get) => ({
  project: null,
  loading: false,
  error: null,
  currentStudyId: null,
  query: DEFAULT_QUERY,
  async refresh() {
    set({ loading: true, error: null });
    try {
      set({ project: await api.call('project.info', {}), loading: false });
    } catch (error) {
      set({ error: (error as Error).message, loading: false });
    }
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
