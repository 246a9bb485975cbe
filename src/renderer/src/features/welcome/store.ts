// Project switching state (renderer, zustand): open the demo, open or create a project, close it
// — from the welcome screen, the header or the desktop menu. Folders come from the desktop's own
// dialog (app.pickFolder) or, in a browser, from a typed path. Pending edits are saved first.
import { create } from 'zustand';
import type { AppState } from '../../../../shared/contract/app';
import { ApiError } from '../../../../shared/contract/errors';
import { api, subscribeToEvents } from '../../api/client';
import { useStudiesStore } from '../studies/store';
import { leaveProject } from './leaveProject';

export type ProjectAction = 'demo' | 'open' | 'create' | 'close' | 'forget';

interface Progress {
  done: number;
  total: number;
  item: string;
}

interface WelcomeState {
  busy: ProjectAction | null;
  error: string | null;
  /** Demo generation and import, while "Open demo project" runs. */
  progress: Progress | null;
  /** In a browser (no native dialog), which typed-path form is shown. */
  pathForm: 'open' | 'create' | null;
  openDemo(): Promise<void>;
  /** Without a path: ask for one (native dialog, or the path form). */
  openProject(path?: string): Promise<void>;
  createProject(path?: string, name?: string): Promise<void>;
  closeProject(): Promise<void>;
  forgetRecent(path: string): Promise<void>;
  showPathForm(kind: 'open' | 'create' | null): void;
}

export const useWelcomeStore = create<WelcomeState>((set, get) => {
  /** Runs one project action: one at a time, errors shown, the new app state applied. */
  const run = async (action: ProjectAction, change: () => Promise<AppState | null>) => {
    if (get().busy) return;
    set({ busy: action, error: null });
    try {
      const state = await change();
      if (state) {
        useStudiesStore.getState().applyAppState(state);
        set({ pathForm: null });
      }
    } catch (error) {
      set({ error: (error as Error).message });
    } finally {
      set({ busy: null, progress: null });
    }
  };

  /** Saves pending edits before the project changes; false when the user chose to stay. */
  const mayLeave = async () => !useStudiesStore.getState().project || (await leaveProject());

  /** The native folder dialog, or null when cancelled; the path form where there is none. */
  const pickFolder = async (mode: 'open' | 'create'): Promise<string | null | 'typed'> => {
    if (useStudiesStore.getState().app?.shell !== 'electron') return 'typed';
    try {
      return (await api.call('app.pickFolder', { mode })).path;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNSUPPORTED') return 'typed';
      throw error;
    }
  };

  return {
    busy: null,
    error: null,
    progress: null,
    pathForm: null,

    openDemo: () =>
      run('demo', async () => {
        if (!(await mayLeave())) return null;
        const stop = subscribeToEvents(({ event, payload }) => {
          if (event === 'importProgressed') set({ progress: payload as Progress });
        });
        try {
          return await api.call('app.openDemo', {});
        } finally {
          stop();
        }
      }),

    openProject: (path) =>
      run('open', async () => {
        const folder = path ?? (await pickFolder('open'));
        if (folder === 'typed') {
          set({ pathForm: 'open' });
          return null;
        }
        if (!folder || !(await mayLeave())) return null;
        return api.call('app.openProject', { path: folder });
      }),

    createProject: (path, name) =>
      run('create', async () => {
        const folder = path ?? (await pickFolder('create'));
        if (folder === 'typed') {
          set({ pathForm: 'create' });
          return null;
        }
        if (!folder || !(await mayLeave())) return null;
        return api.call('app.createProject', { path: folder, ...(name ? { name } : {}) });
      }),

    closeProject: () =>
      run('close', async () => ((await mayLeave()) ? api.call('app.closeProject', {}) : null)),

    forgetRecent: (path) =>
      run('forget', async () => {
        await api.call('app.forgetRecent', { path });
        return api.call('app.state', {});
      }),

    showPathForm: (kind) => set({ pathForm: kind, error: null }),
  };
});
