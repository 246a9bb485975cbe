// Electron main process (composition root): opens the project, creates the window and routes
// IPC calls to the same Electron-free handlers that server mode uses.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../core/project';
import { createHandlers, dispatch, type Handlers } from '../backend/handlers';
import { API_CHANNEL } from '../shared/ipc';

const here = path.dirname(fileURLToPath(import.meta.url));
let store: ProjectStore | undefined;
let handlers: Handlers | undefined;

async function openProject(dir: string): Promise<void> {
  await store?.close();
  store = await ProjectStore.open(dir, { write: true, purpose: 'SimCVD workstation' });
  handlers = createHandlers(store);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'SimCVD Workstation',
    webPreferences: {
      preload: path.join(here, '../preload/index.mjs'),
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
  const projectArg = process.argv.find(
    (a, i) => i > 0 && !a.startsWith('-') && a.endsWith('.simcvd'),
  );
  const dir =
    projectArg ??
    (
      await dialog.showOpenDialog(window, {
        title: 'Open project folder',
        properties: ['openDirectory', 'createDirectory'],
      })
    ).filePaths[0];
  if (dir)
    await openProject(dir).catch((error: Error) =>
      dialog.showErrorBox('Cannot open project', error.message),
    );
});

app.on('window-all-closed', async () => {
  await store?.close();
  app.quit();
});
