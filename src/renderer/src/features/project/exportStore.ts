// Export state (renderer, zustand): the user's choices (studies, what to include, folder), the
// running export with its progress from `exportProgressed` events, and the last summary.
// Components read it and call its actions; all I/O goes through the API client here.
import { create } from 'zustand';
import { ApiError } from '../../../../shared/contract/errors';
import { api, subscribeToEvents } from '../../api/client';
import { labelEditing } from '../editor/instance';
import { useStudiesStore } from '../studies/store';
import {
  DEFAULT_IGNORE_LABEL,
  defaultExportFolder,
  exportableStudies,
  exportParams,
  exportProblem,
  type ExportChoices,
  type ExportResult,
  type ExportScope,
  type PartialExport,
} from './exportRequest';

/** NIfTI label files, or DICOM Segmentation objects (SegExport.tsx). */
export type ExportFormat = 'nifti' | 'seg';

export interface ExportProgressState {
  done: number;
  total: number;
  item: string;
}

interface ExportState extends Omit<ExportChoices, 'outDir'> {
  format: ExportFormat;
  /** Typed or picked folder; null until the user chose one (then the default is shown). */
  outDir: string | null;
  /** False once the shell said it has no folder dialog (server mode): the text field remains. */
  canPickFolder: boolean;
  busy: boolean;
  progress: ExportProgressState | null;
  result: ExportResult | null;
  error: string | null;
  /** Follows export progress events; returns the unsubscribe. */
  connect(): () => void;
  setFormat(format: ExportFormat): void;
  setScope(scope: ExportScope): void;
  toggleStudy(studyId: string, selected: boolean): void;
  selectAll(): void;
  selectNone(): void;
  setInclude(patch: Partial<ExportChoices['include']>): void;
  setPartial(patch: Partial<PartialExport>): void;
  setOutDir(outDir: string): void;
  pickFolder(): Promise<void>;
  run(): Promise<void>;
}

/** The folder the panel shows and exports to. */
export function effectiveOutDir(outDir: string | null, projectRoot: string | undefined): string {
  return outDir ?? (projectRoot ? defaultExportFolder(projectRoot) : '');
}

function projectStudies(partial: boolean) {
  const project = useStudiesStore.getState().project;
  return {
    root: project?.root,
    labels: project?.labels ?? [],
    exportable: exportableStudies(project?.studies ?? [], partial),
  };
}

export const useExportStore = create<ExportState>((set, get) => ({
  format: 'nifti',
  scope: 'all',
  selected: [],
  include: { human: true, accepted: true },
  partial: { enabled: false, ignoreLabel: DEFAULT_IGNORE_LABEL, annotatedMasks: true },
  outDir: null,
  canPickFolder: true,
  busy: false,
  progress: null,
  result: null,
  error: null,

  connect() {
    return subscribeToEvents(({ event, payload }) => {
      // Another window's export also reports here; show only our own.
      if (event === 'exportProgressed' && get().busy)
        set({ progress: payload as ExportProgressState });
    });
  },

  setFormat(format) {
    set({ format, error: null, result: null });
  },
  setScope(scope) {
    set({ scope });
  },
  toggleStudy(studyId, selected) {
    const rest = get().selected.filter((id) => id !== studyId);
    set({ selected: selected ? [...rest, studyId] : rest });
  },
  selectAll() {
    const partial = get().format === 'nifti' && get().partial.enabled;
    set({ selected: projectStudies(partial).exportable.map((s) => s.id) });
  },
  selectNone() {
    set({ selected: [] });
  },
  setInclude(patch) {
    set({ include: { ...get().include, ...patch } });
  },
  setPartial(patch) {
    set({ partial: { ...get().partial, ...patch } });
  },
  setOutDir(outDir) {
    set({ outDir });
  },

  async pickFolder() {
    try {
      const { path } = await api.call('app.pickFolder', {
        title: 'Export folder',
        mode: 'create',
      });
      if (path) set({ outDir: path, error: null });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNSUPPORTED')
        set({ canPickFolder: false, error: null });
      else set({ error: (error as Error).message });
    }
  },

  async run() {
    if (get().busy) return;
    set({ busy: true, error: null, result: null, progress: null });
    try {
      // Export what is on screen, not an older version (a save can also finish a label).
      labelEditing.flushToQueue();
      await labelEditing.queue.whenSettled();
      const { root, labels, exportable } = projectStudies(get().partial.enabled);
      const choices: ExportChoices = { ...get(), outDir: effectiveOutDir(get().outDir, root) };
      const problem = exportProblem(choices, exportable, labels);
      if (problem) {
        set({ busy: false, error: problem });
        return;
      }
      const result = await api.call('labels.export', exportParams(choices, exportable));
      set({ busy: false, result });
    } catch (error) {
      set({ busy: false, error: (error as Error).message });
    }
  },
}));
