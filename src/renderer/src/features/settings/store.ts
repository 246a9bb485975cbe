// Settings dialog state (renderer, zustand): open or closed, saving, and the last error. The
// settings themselves live in the back end (app.state / app.setSettings), per user.
import { create } from 'zustand';
import type { AppSettings } from '../../../../shared/contract/app';
import { api } from '../../api/client';
import { useStudiesStore } from '../studies/store';

interface SettingsState {
  isOpen: boolean;
  saving: boolean;
  error: string | null;
  open(): void;
  close(): void;
  /** Saves and closes; stays open with the error when the back end refuses. */
  save(settings: AppSettings): Promise<void>;
}

export const useSettingsStore = create<SettingsState>((set) => ({
  isOpen: false,
  saving: false,
  error: null,
  open: () => set({ isOpen: true, error: null }),
  close: () => set({ isOpen: false, error: null }),
  async save(settings) {
    set({ saving: true, error: null });
    try {
      const result = await api.call('app.setSettings', settings);
      const app = useStudiesStore.getState().app;
      if (app) useStudiesStore.setState({ app: { ...app, settings: result.settings } });
      set({ isOpen: false, saving: false });
    } catch (error) {
      set({ error: (error as Error).message, saving: false });
    }
  },
}));
