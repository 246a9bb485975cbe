// The native menu template (Node, no Electron): built from the app state, with project-changing
// items sent to the UI as shell commands and the right items enabled for the state.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuActions, type MenuState } from './menu';

type Item = MenuItemConstructorOptions;

function setup(state: Partial<MenuState> = {}) {
  const calls: unknown[][] = [];
  const actions: MenuActions = {
    shell: (...args) => calls.push(['shell', ...args]),
    importStudies: (kind) => calls.push(['import', kind]),
    exportLabels: () => calls.push(['export']),
    about: () => calls.push(['about']),
  };
  const template = buildMenuTemplate(
    {
      appName: 'SimCVD Workstation',
      platform: 'linux',
      hasProject: true,
      recent: [],
      devTools: false,
      ...state,
    },
    actions,
  );
  const menu = (label: string) => {
    const found = template.find((m) => m.label === label || m.role === label);
    if (!found) throw new Error(`no ${label} menu`);
    return found.submenu as Item[];
  };
  const item = (items: Item[], label: string) => {
    const found = items.find((i) => i.label === label);
    if (!found) throw new Error(`no ${label} item`);
    return found;
  };
  const click = (entry: Item) => (entry.click as unknown as () => void)();
  return { template, calls, menu, item, click };
}

describe('buildMenuTemplate', () => {
  it('offers File and Help with the project commands, sent to the UI', () => {
    const { template, menu, item, click, calls } = setup();
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'View', 'help']);
    const file = menu('File');
    expect(file.filter((i) => i.label).map((i) => i.label)).toEqual([
      'New Project…',
      'Open Project…',
      'Open Recent',
      'Open Demo Project',
      'Import Studies',
      'Export Labels…',
      'Close Project',
      'Settings…',
    ]);
    expect(file.at(-1)?.role).toBe('quit');
    for (const label of ['New Project…', 'Open Project…', 'Open Demo Project', 'Close Project'])
      click(item(file, label));
    click(item(file, 'Settings…'));
    const help = menu('help');
    click(item(help, 'Keyboard Shortcuts'));
    click(item(help, 'About SimCVD Workstation'));
    expect(calls).toEqual([
      ['shell', 'newProject'],
      ['shell', 'openProject'],
      ['shell', 'openDemo'],
      ['shell', 'closeProject'],
      ['shell', 'openSettings'],
      ['shell', 'showHelp'],
      ['about'],
    ]);
  });

  it('runs import and export here, and disables them with no project open', () => {
    const open = setup({ hasProject: true });
    const file = open.menu('File');
    const imports = open.item(file, 'Import Studies');
    for (const entry of imports.submenu as Item[]) open.click(entry);
    open.click(open.item(file, 'Export Labels…'));
    expect(open.calls).toEqual([['import', 'files'], ['import', 'folder'], ['export']]);
    for (const label of ['Import Studies', 'Export Labels…', 'Close Project'])
      expect(open.item(file, label).enabled).toBe(true);

    const closed = setup({ hasProject: false });
    const closedFile = closed.menu('File');
    for (const label of ['Import Studies', 'Export Labels…', 'Close Project'])
      expect(closed.item(closedFile, label).enabled).toBe(false);
    for (const label of ['New Project…', 'Open Project…', 'Open Demo Project'])
      expect(closed.item(closedFile, label).enabled).not.toBe(false);
  });

  it('lists recent projects, opening the one chosen', () => {
    const empty = setup();
    const none = empty.item(empty.menu('File'), 'Open Recent').submenu as Item[];
    expect(none).toEqual([{ label: 'No Recent Projects', enabled: false }]);

    const { menu, item, click, calls } = setup({
      recent: [
        { path: '/data/heart', name: 'Heart & lungs', openedAt: '2026-01-02T00:00:00Z' },
        { path: '/data/demo/project', name: 'Demo', openedAt: '2026-01-01T00:00:00Z' },
      ],
    });
    const recent = item(menu('File'), 'Open Recent').submenu as Item[];
    expect(recent.map((r) => r.label)).toEqual([
      'Heart && lungs — /data/heart',
      'Demo — /data/demo/project',
    ]);
    click(recent[1]!);
    expect(calls).toEqual([['shell', 'openProject', '/data/demo/project']]);
  });

  it('follows macOS conventions: app menu with About, Settings and Quit, and an Edit menu', () => {
    const { template, menu, item } = setup({ platform: 'darwin' });
    expect(template.map((m) => m.label ?? m.role)).toEqual([
      'SimCVD Workstation',
      'File',
      'editMenu',
      'View',
      'help',
    ]);
    const appMenu = menu('SimCVD Workstation');
    expect(item(appMenu, 'Settings…').accelerator).toBe('CmdOrCtrl+,');
    expect(appMenu.at(-1)?.role).toBe('quit');
    expect(menu('File').some((i) => i.role === 'quit' || i.label === 'Settings…')).toBe(false);
  });

  it('uses each accelerator once and none of the label editor keys', () => {
    const all: string[] = [];
    const walk = (items: Item[]) =>
      items.forEach((i) => {
        if (i.accelerator) all.push(String(i.accelerator));
        if (Array.isArray(i.submenu)) walk(i.submenu);
      });
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      all.length = 0;
      walk(setup({ platform, devTools: true }).template);
      expect(new Set(all).size).toBe(all.length);
      for (const taken of ['CmdOrCtrl+Z', 'CmdOrCtrl+Y', 'CmdOrCtrl+S'])
        expect(all).not.toContain(taken);
    }
    const dev = setup({ devTools: true });
    expect((dev.menu('View') as Item[]).map((i) => i.role)).toContain('toggleDevTools');
    expect((setup().menu('View') as Item[]).map((i) => i.role)).not.toContain('toggleDevTools');
  });
});
