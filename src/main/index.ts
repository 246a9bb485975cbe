// Electron main process (composition root): one workspace (the same one server mode uses), the
// sandboxed window served from the app protocol with its CSP header, IPC routed to
// `workspace.call` from the app page only, the native menu, single-instance handling and the
// engine in utility processes. No domain logic lives here.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigDir } from '../backend/configDir';
import { Workspace } from '../backend/workspace';
import { setDefaultEngineLauncher } from '../engine/host/caller/launcher';
import type { ApiEventName, ApiEvents, ShellCommandName } from '../shared/contract/events';
import { API_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appRequestHandler } from './appProtocol';
import { projectArgument } from './commandLine';
import { createDialogs } from './dialogs';
import { createUtilityLauncher } from './engineLauncher';
import { buildMenuTemplate, type MenuActions } from './menu';
import { createMenuCommands } from './menuCommands';
import { isTrustedSender, originOf } from './trustedSender';
import { createMainWindow, denyAllPermissions } from './window';

const APP_NAME = 'SimCVD Workstation';
const here = path.dirname(fileURLToPath(import.meta.url));
// electron-vite's dev server in development; the built renderer through the app protocol otherwise.
const appUrl = (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) || APP_INDEX_URL;
const trustedOrigins = [originOf(appUrl)!];
const iconFile = path.join(here, '../../resources/icon.png');

let mainWindow: BrowserWindow | undefined;
let leaveConfirmed = false;
let disposed = false;

function send<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
  if (mainWindow && !mainWindow.isDestroyed())
    mainWindow.webContents.send(EVENT_CHANNEL, { event, payload });
}

const dialogs = createDialogs(dialog, () => mainWindow);
const workspace = new Workspace({
  shell: 'electron',
  // Shared with `simcvd serve`: both shells list the same recent projects and settings.
  configDir: process.env.SIMCVD_CONFIG_DIR ?? defaultConfigDir(),
  emit: (event, payload) => {
    send(event, payload);
    if (event === 'projectChanged') void refreshMenu();
  },
  author: userName(),
  engineEntry: path.join(here, 'engineWorker.js'),
  defaultDemoPath:
    process.env.SIMCVD_DEMO_DIR ?? path.join(app.getPath('documents'), 'SimCVD', 'demo'),
  dialogs,
});
const commands = createMenuCommands({
  workspace,
  dialogs,
  messages: dialog,
  window: () => mainWindow,
});
const menuActions: MenuActions = {
  shell: issueShellCommand,
  importStudies: (kind) => void commands.importStudies(kind),
  exportLabels: () => void commands.exportLabels(),
  about: () => void showAbout(),
};

function issueShellCommand(command: ShellCommandName, projectPath?: string): void {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
  send('shellCommandIssued', { command, ...(projectPath ? { path: projectPath } : {}) });
}

async function refreshMenu(): Promise<void> {
  const state = await workspace.state();
  const template = buildMenuTemplate(
    {
      appName: APP_NAME,
      platform: process.platform,
      hasProject: state.project !== null,
      recent: state.recent,
      devTools: !app.isPackaged,
    },
    menuActions,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function showAbout(): Promise<void> {
  const options = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: `${APP_NAME} ${app.getVersion()}`,
    detail:
      'Semi-supervised 3-D medical image segmentation (SimCVD).\n' +
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
  };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}

function isProject(dir: string): boolean {
  return existsSync(path.join(dir, 'project.json'));
}

function userName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

/** Leaving while training or prediction runs stops it (the trainer keeps its checkpoint). */
function mayLeave(): boolean {
  const jobs = workspace.jobs;
  if (leaveConfirmed || !jobs?.busy) return true;
  const options = {
    type: 'question' as const,
    buttons: ['Stop and Quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `A ${jobs.current?.kind ?? 'engine'} job is running.`,
    detail: 'Quitting stops it; a training run keeps its last checkpoint and can be resumed.',
  };
  const choice = mainWindow
    ? dialog.showMessageBoxSync(mainWindow, options)
    : dialog.showMessageBoxSync(options);
  leaveConfirmed = choice === 0;
  return leaveConfirmed;
}

function handleApiCalls(): void {
  ipcMain.handle(API_CHANNEL, (event, method: unknown, params: unknown) => {
    const trusted = isTrustedSender(
      {
        frameUrl: event.senderFrame?.url,
        isMainFrame: event.senderFrame === event.sender.mainFrame,
        fromAppWindow: mainWindow !== undefined && event.sender === mainWindow.webContents,
      },
      trustedOrigins,
    );
    if (!trusted)
      return {
        ok: false,
        error: { code: 'BAD_INPUT', message: 'Refused: the call did not come from the app page.' },
      };
    const answer = workspace.call(method, params);
    // Recent projects and settings show in the menu; project switches refresh it by event.
    if (method === 'app.forgetRecent') void answer.then(() => refreshMenu());
    return answer;
  });
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, appRequestHandler(path.join(here, '../renderer')));
  denyAllPermissions();
  setDefaultEngineLauncher(createUtilityLauncher(utilityProcess));
  handleApiCalls();
  const projectDir = projectArgument(process.argv, {
    isPackaged: app.isPackaged,
    cwd: process.cwd(),
    isProject,
  });
  // Opened before the page loads, so its first app.state already shows the project.
  if (projectDir) {
    const opened = await workspace.call('app.openProject', { path: projectDir });
    if (!opened.ok) dialog.showErrorBox('Cannot open the project', opened.error.message);
  }
  await refreshMenu();
  const window = createMainWindow({
    preload: path.join(here, '../preload/index.cjs'),
    url: appUrl,
    title: APP_NAME,
    icon: existsSync(iconFile) ? iconFile : undefined,
  });
  window.on('close', (event) => {
    if (!mayLeave()) event.preventDefault();
  });
  window.on('closed', () => (mainWindow = undefined));
  mainWindow = window;
}

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // A second launch focuses this window, and opens the project it was given (through the UI,
    // which saves pending edits first).
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
    const dir = projectArgument(argv, {
      isPackaged: app.isPackaged,
      cwd: workingDirectory,
      isProject,
    });
    if (dir) issueShellCommand('openProject', dir);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    if (!mayLeave()) return;
    // Cancel a running job, wait for it, and release the project lock before exiting.
    void workspace.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: Error) => {
      dialog.showErrorBox(`${APP_NAME} could not start`, error.message);
      app.exit(1);
    });
}
