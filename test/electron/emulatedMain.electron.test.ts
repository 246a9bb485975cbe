// The built Electron main process against a stand-in `electron` module (Node, after
// `electron-vite build`): what the composition root does without the real binary — the window's
// security options, the app protocol with its CSP header, IPC from the app page only, the menu
// and its shell commands, the project from the command line and from a second instance, and
// releasing the project on quit. The real binary is exercised by smoke.electron.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/shared/csp';
import { API_CHANNEL, EVENT_CHANNEL } from '../../src/shared/ipc';
import { createDemoProject, type DemoProject } from '../e2e/support/project';
import { fake, type MenuItem } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron'));

const BUILT_MAIN = path.resolve('out', 'main', 'index.js');
let demo: DemoProject;
let other: DemoProject;
let configDir: string;

function window() {
  expect(fake.state.windows).toHaveLength(1);
  return fake.state.windows[0]!;
}

function ipcCall(method: string, params: unknown, frameUrl?: string) {
  const win = window();
  const frame = frameUrl ? { url: frameUrl } : win.mainFrame;
  return fake.state.ipc.get(API_CHANNEL)!(
    { sender: win.webContents, senderFrame: frame },
    method,
    params,
  ) as Promise<{ ok: boolean; result?: Record<string, unknown>; error?: { code: string } }>;
}

function menuItem(labels: string[]): MenuItem {
  let items = fake.state.menus.at(-1)!;
  let found: MenuItem | undefined;
  for (const label of labels) {
    found = items.find((i) => i.label === label);
    if (!found) throw new Error(`no menu item ${labels.join(' › ')}`);
    items = found.submenu ?? [];
  }
  return found!;
}

const shellCommands = () =>
  window()
    .sent.map((m) => (m as [string, { event: string; payload: unknown }])[1])
    .filter((m) => m.event === 'shellCommandIssued')
    .map((m) => m.payload);

beforeAll(async () => {
  if (!existsSync(BUILT_MAIN))
    throw new Error('No out/main/index.js: run "npx electron-vite build" (npm run test:e2e does).');
  demo = createDemoProject({ studies: 2, labeled: 1 });
  other = createDemoProject({ studies: 2, labeled: 1 });
  configDir = mkdtempSync(path.join(os.tmpdir(), 'simcvd-main-config-'));
  process.env.SIMCVD_CONFIG_DIR = configDir;
  process.env.SIMCVD_DEMO_DIR = path.join(configDir, 'demo');
  delete process.env.ELECTRON_RENDERER_URL;
  process.argv = [process.execPath, BUILT_MAIN, '--some-switch', demo.project];
  await import(pathToFileURL(BUILT_MAIN).href);
  await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1), { timeout: 30_000 });
}, 120_000);

afterAll(() => {
  for (const d of [demo, other]) if (d) rmSync(d.root, { recursive: true, force: true });
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

/** Modules a built file loads at start (static imports, followed through local chunks). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  for (const match of readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gms)) {
    const spec = match[1]!;
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    const local = path.resolve(path.dirname(file), spec);
    if (!seen.has(local)) {
      seen.add(local);
      staticImports(local, seen);
    }
  }
  return seen;
}

describe('the built main process (emulated Electron)', () => {
  it('starts without loading TensorFlow.js (only the engine process does)', () => {
    const main = [...staticImports(BUILT_MAIN)];
    expect(main.some((m) => m.endsWith('.js'))).toBe(true); // it does follow the chunks
    expect(main.filter((m) => m.startsWith('@tensorflow'))).toEqual([]);
    const worker = [...staticImports(path.resolve('out', 'main', 'engineWorker.js'))];
    expect(worker).toContain('@tensorflow/tfjs');
  });

  it('opens one sandboxed, isolated window on the app protocol', () => {
    const win = window();
    expect(win.options).toMatchObject({
      title: 'SimCVD Workstation',
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        preload: path.resolve('out', 'preload', 'index.cjs'),
      },
    });
    expect(win.url).toBe('simcvd://app/index.html');
    expect(fake.state.schemes).toEqual([
      expect.objectContaining({
        scheme: 'simcvd',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });

  it('refuses every permission request, permission check and device', () => {
    const handlers = fake.state.permissionHandlers as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    let granted: boolean | undefined;
    handlers.request!({}, 'media', (allow: boolean) => (granted = allow));
    expect(granted).toBe(false);
    expect(handlers.check!({}, 'clipboard-read', 'simcvd://app')).toBe(false);
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('serves the built renderer with the CSP header', async () => {
    const handle = fake.state.protocols.get('simcvd')!;
    const page = await handle(new Request('simcvd://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(await page.text()).toContain('http-equiv="Content-Security-Policy"');
    expect((await handle(new Request('simcvd://app/../package.json'))).status).toBe(404);
  });

  it('opened the project named on the command line and answers the app page only', async () => {
    const state = await ipcCall('app.state', {});
    expect(state.ok).toBe(true);
    expect((state.result!.project as { root: string }).root).toBe(demo.project);
    expect(state.result!.shell).toBe('electron');
    const foreign = await ipcCall('app.state', {}, 'https://example.org/');
    expect(foreign).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const bad = await ipcCall('app.setSettings', { backend: 'cuda' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('builds the menu from the state and sends project commands to the UI', async () => {
    expect(menuItem(['File', 'Close Project']).enabled).toBe(true);
    const recent = menuItem(['File', 'Open Recent']).submenu!;
    expect(recent[0]!.label).toContain(demo.project);
    menuItem(['File', 'Open Demo Project']).click!();
    menuItem(['File', 'Close Project']).click!();
    recent[0]!.click!();
    expect(shellCommands()).toEqual([
      { command: 'openDemo' },
      { command: 'closeProject' },
      { command: 'openProject', path: demo.project },
    ]);
  });

  it('forwards events to the page and rebuilds the menu when the project changes', async () => {
    const menusBefore = fake.state.menus.length;
    const closed = await ipcCall('app.closeProject', {});
    expect(closed.ok).toBe(true);
    const events = window().sent.map((m) => m as [string, { event: string }]);
    expect(events.at(-1)).toEqual([
      EVENT_CHANNEL,
      { event: 'projectChanged', payload: { root: null } },
    ]);
    await vi.waitFor(() => expect(fake.state.menus.length).toBeGreaterThan(menusBefore));
    expect(menuItem(['File', 'Close Project']).enabled).toBe(false);
    expect(menuItem(['File', 'Export Labels…']).enabled).toBe(false);
  });

  it('hands a second instance’s project to the UI', () => {
    const before = shellCommands().length;
    fake.app.emit('second-instance', {}, ['/opt/electron', BUILT_MAIN, other.project], '/');
    fake.app.emit('second-instance', {}, ['/opt/electron', BUILT_MAIN, '/not/a/project'], '/');
    expect(shellCommands().slice(before)).toEqual([
      { command: 'openProject', path: other.project },
    ]);
  });

  it('releases the open project before quitting', async () => {
    expect((await ipcCall('app.openProject', { path: other.project })).ok).toBe(true);
    const quit = new Promise<void>((resolve) => fake.app.once('quit-called', () => resolve()));
    const event = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await quit;
    // The project lock is gone: another workspace may open it for writing.
    const { ProjectStore } = await import('../../src/core/project');
    const store = await ProjectStore.open(other.project, { write: true });
    await store.close();
  });
});
