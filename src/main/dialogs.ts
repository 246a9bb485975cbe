// Native file dialogs for the workspace (Electron main): what `app.pickFolder` and
// `app.pickFiles` answer in the desktop app. Electron's dialog module is passed in, so this
// adapter is tested without Electron.
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { WorkspaceDialogs } from '../backend/workspace';

type OpenDialog = Pick<Dialog, 'showOpenDialog'>;

export const NIFTI_FILTERS = [
  { name: 'NIfTI images', extensions: ['nii', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export function createDialogs(
  dialog: OpenDialog,
  parent: () => BrowserWindow | undefined,
): WorkspaceDialogs {
  const show = async (options: OpenDialogOptions): Promise<string[]> => {
    const window = parent();
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  return {
    async pickFolder({ title, mode }) {
      const [folder] = await show({
        title: title ?? (mode === 'create' ? 'New project folder' : 'Open project folder'),
        buttonLabel: mode === 'create' ? 'Create Project Here' : 'Open',
        properties:
          mode === 'create'
            ? ['openDirectory', 'createDirectory', 'promptToCreate']
            : ['openDirectory'],
      });
      return folder ?? null;
    },
    pickFiles({ title, folders }) {
      return show({
        title: title ?? (folders ? 'Import folders' : 'Import studies'),
        buttonLabel: 'Import',
        // Windows and Linux cannot offer files and folders in one dialog: the caller picks.
        properties: folders
          ? ['openDirectory', 'multiSelections']
          : ['openFile', 'multiSelections'],
        ...(folders ? {} : { filters: NIFTI_FILTERS }),
      });
    },
  };
}
