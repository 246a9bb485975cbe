// A stand-in for the `electron` module (tests, Node): just the calls src/main makes, recording
// what it registers (protocols, IPC handlers, menus, windows) so a test can drive the built main
// process without the Electron binary.
import { EventEmitter } from 'node:events';

type Handler = (...args: unknown[]) => unknown;
export interface MenuItem {
  label?: string;
  enabled?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
}

const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getPath: (name: string) => `/tmp/fake-${name}`,
  getVersion: () => '0.0.0-test',
  requestSingleInstanceLock: () => true,
  enableSandbox: () => undefined,
  whenReady: () => Promise.resolve(),
  quit: () => app.emit('quit-called'),
  exit: () => undefined,
});
const state = {
  schemes: [] as unknown[],
  protocols: new Map<string, (request: Request) => Promise<Response>>(),
  ipc: new Map<string, Handler>(),
  menus: [] as MenuItem[][],
  windows: [] as FakeWindow[],
  permissionHandlers: {} as { request?: unknown; check?: unknown; device?: unknown },
};
class FakeWindow extends EventEmitter {
  url = '';
  sent: unknown[] = [];
  readonly mainFrame = { url: '' };
  readonly webContents: EventEmitter & {
    mainFrame: { url: string };
    setWindowOpenHandler(): void;
    send(channel: string, message: unknown): void;
  };
  constructor(readonly options: Record<string, unknown>) {
    super();
    const contents = new EventEmitter();
    this.webContents = Object.assign(contents, {
      mainFrame: this.mainFrame,
      setWindowOpenHandler: () => undefined,
      send: (channel: string, message: unknown) => {
        this.sent.push([channel, message]);
      },
    });
    state.windows.push(this);
  }
  loadURL(url: string) {
    this.url = url;
    this.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  focus = () => undefined;
  restore = () => undefined;
  show = () => undefined;
}
const electron = {
  app,
  BrowserWindow: FakeWindow,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => state.schemes.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
      state.protocols.set(scheme, handler),
  },
  ipcMain: { handle: (channel: string, handler: Handler) => state.ipc.set(channel, handler) },
  Menu: {
    buildFromTemplate: (template: MenuItem[]) => template,
    setApplicationMenu: (menu: MenuItem[]) => state.menus.push(menu),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: unknown) =>
        (state.permissionHandlers.request = handler),
      setPermissionCheckHandler: (handler: unknown) => (state.permissionHandlers.check = handler),
      setDevicePermissionHandler: (handler: unknown) => (state.permissionHandlers.device = handler),
    },
  },
  dialog: {
    showErrorBox: (title: string, message: string) => {
      throw new Error(`${title}: ${message}`);
    },
    showMessageBox: async () => ({ response: 0 }),
    showMessageBoxSync: () => 0,
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  },
  utilityProcess: { fork: () => undefined },
};

export const fake = { electron, state, app };
export default electron;
export const { BrowserWindow, protocol, ipcMain, Menu, session, dialog, utilityProcess } = electron;
export { app };
