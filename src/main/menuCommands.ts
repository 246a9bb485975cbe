// Menu commands that run in the main process (Electron main): import studies and export labels
// through native dialogs and the same API calls the UI makes; results and failures are shown in
// native message boxes. Electron's dialog module and the window are passed in, for tests.
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import type { Workspace } from '../backend/workspace';
import type { ApiResult } from '../shared/contract/api';
import type { WorkspaceDialogs } from '../backend/workspace';

type MessageDialogs = Pick<Dialog, 'showMessageBox' | 'showErrorBox'>;

export interface MenuCommandDeps {
  workspace: Pick<Workspace, 'call'>;
  dialogs: WorkspaceDialogs;
  messages: MessageDialogs;
  window: () => BrowserWindow | undefined;
}

export interface MenuCommands {
  importStudies(kind: 'files' | 'folder'): Promise<void>;
  exportLabels(): Promise<void>;
}

export function createMenuCommands(deps: MenuCommandDeps): MenuCommands {
  const inform = (options: MessageBoxOptions) => {
    const window = deps.window();
    return window
      ? deps.messages.showMessageBox(window, options)
      : deps.messages.showMessageBox(options);
  };
  const call = async <T>(method: string, params: unknown): Promise<T | null> => {
    const response = await deps.workspace.call(method, params);
    if (response.ok) return response.result as T;
    deps.messages.showErrorBox(titleOf(method), response.error.message);
    return null;
  };
  return {
    async importStudies(kind) {
      const paths = await deps.dialogs.pickFiles({ folders: kind === 'folder' });
      if (paths.length === 0) return;
      const result = await call<ApiResult<'studies.import'>>('studies.import', { paths });
      if (!result) return;
      const warnings = result.imported.flatMap((s) => s.warnings.map((w) => `${s.id}: ${w}`));
      await inform({
        type: warnings.length ? 'warning' : 'info',
        message: `Imported ${plural(result.imported.length, 'study', 'studies')}.`,
        detail: warnings.length ? `Warnings:\n${warnings.join('\n')}` : undefined,
      });
    },
    async exportLabels() {
      const outDir = await deps.dialogs.pickFolder({ title: 'Export labels to', mode: 'create' });
      if (!outDir) return;
      const result = await call<ApiResult<'labels.export'>>('labels.export', { outDir });
      if (!result) return;
      const skipped = result.skipped.map((s) => `${s.studyId}: ${s.reason}`);
      await inform({
        type: 'info',
        message: `Exported ${plural(result.files.length, 'label file', 'label files')} to ${result.outDir}.`,
        detail: skipped.length ? `Skipped:\n${skipped.join('\n')}` : undefined,
      });
    },
  };
}

function titleOf(method: string): string {
  return method === 'studies.import' ? 'Import failed' : 'Export failed';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
