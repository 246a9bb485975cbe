// Electron main process (composition root): opens the project, creates the window and routes
// IPC calls to the same Electron-free handlers that server mode uses.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace } from '../backend/workspace';
import os from 'node:os';
import { API_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
let mainWindow: BrowserWindow | undefined;
const workspace = new Workspace({
  shell: 'electron',
  configDir: app.getPath('userData'),
  emit: (event, payload) => {
    if (mainWindow && !mainWindow.isDestroyed())
      mainWindow.webContents.send(EVENT_CHANNEL, { event, payload });
  },
  author: os.userInfo().username,
  defaultDemoPath: path.join(app.getPath('documents'), 'SimCVD', 'demo'),
});

async function openProject(dir: string, _window: BrowserWindow): Promise<void> {
  const outcome = await workspace.call('app.openProject', { path: dir });
  if (!outcome.ok) throw new Error(outcome.error.message);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'SimCVD Workstation',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  ipcMain.handle(API_CHANNEL, async (_event, method: unknown, params: unknown) =>
    workspace.call(method, params),
  );
  const window = createWindow();
  mainWindow = window;
  // `electron . <project>` in development, `simcvd-workstation <project>` when packaged.
  const projectArg = process.argv
    .slice(app.isPackaged ? 1 : 2)
    .find((a) => !a.startsWith('-') && existsSync(path.join(a, 'project.json')));
  const dir =
    projectArg ??
    (
      await dialog.showOpenDialog(window, {
        title: 'Open project folder',
        properties: ['openDirectory', 'createDirectory'],
      })
    ).filePaths[0];
  if (dir)
    await openProject(dir, window).catch((error: Error) =>
      dialog.showErrorBox('Cannot open project', error.message),
    );
});

app.on('window-all-closed', async () => {
  await workspace.dispose();
  app.quit();
});
