// The workstation window (Electron main): sandboxed, context-isolated, no Node in the page,
// no navigation away from the app, no pop-ups or web views, no permission grants; a close with
// unsaved edits asks first (Electron would otherwise cancel it silently).
import { BrowserWindow, dialog, session } from 'electron';
import { originOf } from './trustedSender';

export interface WindowOptions {
  preload: string;
  /** The app page: simcvd://app/index.html, or the dev server in development. */
  url: string;
  title: string;
  icon?: string;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: options.title,
    icon: options.icon,
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const appOrigin = originOf(options.url);
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (originOf(url) !== appOrigin) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Leave', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      message: 'Some edits are not saved yet.',
      detail: 'They are kept while the window stays open. Leave anyway and lose them?',
    });
    if (choice === 0) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

/**
 * No camera, microphone, notifications, geolocation, USB, HID or serial devices…: the
 * workstation needs none. Requests are refused, and checks (which some APIs make without a
 * request) and device access answer "no" too.
 */
export function denyAllPermissions(): void {
  const defaults = session.defaultSession;
  defaults.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaults.setPermissionCheckHandler(() => false);
  defaults.setDevicePermissionHandler(() => false);
}
