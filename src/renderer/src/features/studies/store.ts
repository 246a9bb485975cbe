// Study list state (renderer, zustand): loaded through the API client; components only read it.
import { create } from 'zustand';
import type { ProjectInfo } from '../../../../shared/contract/api';
import { api } from '../../api/client';

interface StudiesState {
  project: ProjectInfo | null;
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

export const useStudiesStore = create<StudiesState>((set) => ({
  project: null,
  loading: false,
  error: null,
  async refresh() {
    set({ loading: true, error: null });
    try {
      set({ project: await api.call('project.info', {}), loading: false });
    } catch (error) {
      set({ error: (error as Error).message, loading: false });
    }
  },
}));
