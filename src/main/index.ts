// Electron main process (composition root): opens the project, creates the window and routes
// IPC calls to the same Electron-free handlers that server mode uses.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../core/project';
import { createHandlers, dispatch, type Handlers } from '../backend/handlers';
import os from 'node:os';
import { API_CHANNEL, EVENT_CHANNEL } from '../shared/ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
let store: ProjectStore | undefined;
let handlers: Handlers | undefined;

async function openProject(dir: string, window: BrowserWindow): Promise<void> {
  await store?.close();
  store = await ProjectStore.open(dir, { write: true, purpose: 'SimCVD workstation' });
  handlers = createHandlers(store, {
    emit: (event, payload) => {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
    },
    author: os.userInfo().username,
  });
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
  ipcMain.handle(API_CHANNEL, async (_event, method: unknown, params: unknown) => {
    if (!handlers)
      return { ok: false, error: { code: 'NOT_FOUND', message: 'No project is open.' } };
    return dispatch(handlers, method, params);
  });
  const window = createWindow();
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
  await store?.close();
  app.quit();
});
