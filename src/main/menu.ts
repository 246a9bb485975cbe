// The native application menu (Electron main, pure): a template built from the app state, so
// it can be tested without Electron. Project-changing items ask the UI (a shell command) so it
// can save pending edits first; import and export run here, with native dialogs.
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentProject } from '../shared/contract/app';
import type { ShellCommandName } from '../shared/contract/events';

export interface MenuState {
  appName: string;
  platform: NodeJS.Platform;
  hasProject: boolean;
  recent: RecentProject[];
  /** Development build: show the developer tools item. */
  devTools: boolean;
}

export interface MenuActions {
  shell(command: ShellCommandName, path?: string): void;
  importStudies(kind: 'files' | 'folder'): void;
  exportLabels(): void;
  about(): void;
}

export function buildMenuTemplate(
  state: MenuState,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    label: 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.shell('openSettings'),
  };
  const about: MenuItemConstructorOptions = {
    label: `About ${state.appName}`,
    click: () => actions.about(),
  };
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'New Project…',
        accelerator: 'CmdOrCtrl+Shift+N',
        click: () => actions.shell('newProject'),
      },
      {
        label: 'Open Project…',
        accelerator: 'CmdOrCtrl+O',
        click: () => actions.shell('openProject'),
      },
      { label: 'Open Recent', submenu: recentItems(state.recent, actions) },
      { label: 'Open Demo Project', click: () => actions.shell('openDemo') },
      { type: 'separator' },
      {
        label: 'Import Studies',
        enabled: state.hasProject,
        submenu: [
          { label: 'NIfTI Files…', click: () => actions.importStudies('files') },
          {
            label: 'Folder (DICOM Series or Dataset)…',
            click: () => actions.importStudies('folder'),
          },
        ],
      },
      {
        label: 'Export Labels…',
        accelerator: 'CmdOrCtrl+Shift+E',
        enabled: state.hasProject,
        click: () => actions.exportLabels(),
      },
      { type: 'separator' },
      {
        label: 'Close Project',
        enabled: state.hasProject,
        click: () => actions.shell('closeProject'),
      },
      ...(mac
        ? []
        : [
            { type: 'separator' } as const,
            settings,
            { type: 'separator' } as const,
            { role: 'quit' } as const,
          ]),
    ],
  };
  // macOS text fields get copy and paste only through an Edit menu. Elsewhere it is left out:
  // its Ctrl+Z / Ctrl+Y accelerators would compete with the label editor's undo and redo.
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'togglefullscreen' },
      ...(state.devTools ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Keyboard Shortcuts', click: () => actions.shell('showHelp') },
      ...(mac ? [] : [{ type: 'separator' } as const, about]),
    ],
  };
  const appMenu: MenuItemConstructorOptions = {
    label: state.appName,
    submenu: [
      about,
      { type: 'separator' },
      settings,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return mac ? [appMenu, file, edit, view, help] : [file, view, help];
}

function recentItems(recent: RecentProject[], actions: MenuActions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: 'No Recent Projects', enabled: false }];
  return recent.map((project) => ({
    // "&" would become a mnemonic on Windows and Linux.
    label: `${project.name.replaceAll('&', '&&')} — ${project.path.replaceAll('&', '&&')}`,
    click: () => actions.shell('openProject', project.path),
  }));
}
