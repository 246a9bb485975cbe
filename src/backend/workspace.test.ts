// Workspace (plain Node): opening, creating and closing projects, the demo, settings and the
// recent list persisted in the config folder, the native-dialog adapter, and the refusals
// while a job runs — all through `call`, the entry point every transport uses.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../core/project';
import { DEFAULT_APP_SETTINGS, type AppState } from '../shared/contract/app';
import type { ApiEventMessage } from '../shared/contract/events';
import { tempDir } from '../../test/helpers/fixtures';
import { Workspace, type WorkspaceOptions } from './workspace';

const open: Workspace[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.dispose()));
});

async function setup(options: Partial<WorkspaceOptions> = {}) {
  const dir = await tempDir('simcvd-workspace-');
  const events: ApiEventMessage[] = [];
  const workspace = new Workspace({
    shell: 'server',
    configDir: path.join(dir, 'config'),
    defaultDemoPath: path.join(dir, 'demo'),
    emit: (event, payload) => events.push({ event, payload }),
    ...options,
  });
  open.push(workspace);
  // Every call goes through validation exactly as IPC and HTTP calls do.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, params: unknown = {}): Promise<any> => {
    const response = await workspace.call(method, params);
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    return response.result;
  };
  const failure = async (method: string, params: unknown = {}) => {
    const response = await workspace.call(method, params);
    if (response.ok) throw new Error(`${method} unexpectedly succeeded`);
    return response.error;
  };
  return { dir, workspace, events, call, failure };
}

describe('Workspace', () => {
  it('starts with no project, defaults and the first-run flag', async () => {
    const { call, dir } = await setup();
    const state: AppState = await call('app.state');
    expect(state).toEqual({
      shell: 'server',
      project: null,
      recent: [],
      settings: DEFAULT_APP_SETTINGS,
      firstRun: true,
      defaultDemoPath: path.join(dir, 'demo'),
    });
    const error = await setup().then((s) => s.failure('project.info'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/No project is open/);
  });

  it('creates, closes and reopens projects, remembering them across restarts', async () => {
    const { call, dir, events } = await setup();
    const a = path.join(dir, 'a');
    const created: AppState = await call('app.createProject', { path: a, name: 'Alpha' });
    expect(created.project?.name).toBe('Alpha');
    expect(created.project?.root).toBe(a);
    expect(created.firstRun).toBe(false);
    await createProject(path.join(dir, 'b'), { name: 'Beta' });
    const opened: AppState = await call('app.openProject', { path: path.join(dir, 'b') });
    expect(opened.project?.name).toBe('Beta');
    expect(opened.recent.map((r) => r.name)).toEqual(['Beta', 'Alpha']);
    const closed: AppState = await call('app.closeProject');
    expect(closed.project).toBeNull();
    // Closing with nothing open changes nothing and tells nobody.
    await call('app.closeProject');
    expect(events.filter((e) => e.event === 'projectChanged').map((e) => e.payload)).toEqual([
      { root: a },
      { root: path.join(dir, 'b') },
      { root: null },
    ]);

    const later = await setup({ configDir: path.join(dir, 'config') });
    const state: AppState = await later.call('app.state');
    expect(state.recent.map((r) => r.path)).toEqual([path.join(dir, 'b'), a]);
    expect(state.firstRun).toBe(false);
    expect(state.project).toBeNull();
    // Reopening moves it to the top without duplicating it.
    const again: AppState = await later.call('app.openProject', { path: a });
    expect(again.recent.map((r) => r.path)).toEqual([a, path.join(dir, 'b')]);
    const forgotten = await later.call('app.forgetRecent', { path: path.join(dir, 'b') });
    expect(forgotten.recent.map((r: { path: string }) => r.path)).toEqual([a]);
    const stored = JSON.parse(await fs.readFile(path.join(dir, 'config', 'recent.json'), 'utf8'));
    expect(stored.map((r: { path: string }) => r.path)).toEqual([a]);
  });

  it('keeps at most ten recent projects and survives an unreadable recent.json', async () => {
    const { call, dir } = await setup();
    await fs.mkdir(path.join(dir, 'config'), { recursive: true });
    await fs.writeFile(path.join(dir, 'config', 'recent.json'), '{not json');
    await fs.writeFile(path.join(dir, 'config', 'settings.json'), '{"backend":"nonsense"}');
    const fresh: AppState = await call('app.state');
    expect(fresh.recent).toEqual([]);
    expect(fresh.settings).toEqual(DEFAULT_APP_SETTINGS);
    for (let n = 0; n < 12; n++)
      await call('app.createProject', { path: path.join(dir, `p${n}`), name: `P${n}` });
    const state: AppState = await call('app.state');
    expect(state.recent.map((r) => r.name)).toEqual(
      [11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((n) => `P${n}`),
    );
  });

  it('explains what is wrong with a folder that is not a project', async () => {
    const { failure, dir } = await setup();
    const missing = await failure('app.openProject', { path: path.join(dir, 'nowhere') });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain(path.join(dir, 'nowhere'));
    expect((await failure('app.openProject', {})).code).toBe('BAD_INPUT');
    await createProject(path.join(dir, 'taken'));
    const notEmpty = await failure('app.createProject', { path: path.join(dir, 'taken') });
    expect(notEmpty.code).toBe('CONFLICT');
  });

  it('persists settings, validates them, and lets the shell override them for a session', async () => {
    const { call, failure, dir } = await setup();
    const saved = await call('app.setSettings', { backend: 'cpu' });
    expect(saved.settings).toEqual({ ...DEFAULT_APP_SETTINGS, backend: 'cpu' });
    await call('app.setSettings', { maxHeapMiB: 2048 });
    const bad = await failure('app.setSettings', { backend: 'cuda' });
    expect(bad.code).toBe('BAD_INPUT');
    expect((await failure('app.setSettings', { maxHeapMiB: 100 })).code).toBe('BAD_INPUT');
    const file = JSON.parse(await fs.readFile(path.join(dir, 'config', 'settings.json'), 'utf8'));
    expect(file).toEqual({ backend: 'cpu', maxHeapMiB: 2048, threads: null });

    const later = await setup({ configDir: path.join(dir, 'config') });
    expect((await later.call('app.state')).settings).toEqual({
      backend: 'cpu',
      maxHeapMiB: 2048,
      threads: null,
    });
    const overridden = await setup({
      configDir: path.join(dir, 'config'),
      settings: { backend: 'wasm' },
    });
    expect((await overridden.call('app.state')).settings).toEqual({
      backend: 'wasm',
      maxHeapMiB: 2048,
      threads: null,
    });
  });

  it('refuses to close or switch the project while a job runs in it', async () => {
    const { call, failure, workspace, dir } = await setup();
    await call('app.createProject', { path: path.join(dir, 'busy'), name: 'Busy' });
    await createProject(path.join(dir, 'other'));
    let finish!: () => void;
    workspace.jobs!.start('training', {}, () => new Promise<void>((resolve) => (finish = resolve)));
    for (const [method, params] of [
      ['app.closeProject', {}],
      ['app.openProject', { path: path.join(dir, 'other') }],
      ['app.createProject', { path: path.join(dir, 'new') }],
      ['app.openDemo', {}],
    ] as const) {
      const error = await failure(method, params);
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/while a training job runs in "Busy": cancel it first/);
    }
    // Nothing was created or changed by the refused calls.
    await expect(fs.stat(path.join(dir, 'new'))).rejects.toThrow();
    await expect(fs.stat(path.join(dir, 'demo'))).rejects.toThrow();
    expect((await call('app.state')).project.name).toBe('Busy');
    // Reopening the project already open is not a switch.
    expect((await call('app.openProject', { path: path.join(dir, 'busy') })).project.name).toBe(
      'Busy',
    );
    finish();
    await workspace.jobs!.settled();
    expect((await call('app.closeProject')).project).toBeNull();
  });

  it('runs project switches one at a time, in the order asked', async () => {
    const { workspace, call, dir } = await setup();
    for (const name of ['one', 'two', 'three']) await createProject(path.join(dir, name), { name });
    const results = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        workspace.call('app.openProject', { path: path.join(dir, name) }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const state: AppState = await call('app.state');
    expect(state.project?.name).toBe('three');
    expect(state.recent.map((r) => r.name)).toEqual(['three', 'two', 'one']);
  });

  it('generates the demo once, with import progress, and reopens it afterwards', async () => {
    const { call, events, dir } = await setup({
      demo: { studies: 3, test: 0, labeled: 1, dims: [16, 16, 16] },
    });
    const state: AppState = await call('app.openDemo');
    expect(state.project?.root).toBe(path.join(dir, 'demo', 'project'));
    expect(state.project?.studies.map((s) => s.status)).toEqual([
      'labeled',
      'unlabeled',
      'unlabeled',
    ]);
    const progress = events.filter((e) => e.event === 'importProgressed');
    expect(progress.length).toBeGreaterThan(3);
    const last = progress.at(-1)!.payload as { done: number; total: number };
    expect(last.done).toBe(last.total);
    await call('app.closeProject');
    events.length = 0;
    const again: AppState = await call('app.openDemo');
    expect(again.project?.studies).toHaveLength(3);
    expect(events.map((e) => e.event)).toEqual(['projectChanged']);
    expect(again.recent[0]?.path).toBe(path.join(dir, 'demo', 'project'));
  });

  it('removes a half-imported demo project so the next try starts clean', async () => {
    const { failure, dir } = await setup({ demo: { studies: 2, test: 0, dims: [16, 16, 16] } });
    // A dataset folder that claims to be a demo but holds no images makes the import fail.
    const dataset = path.join(dir, 'demo', 'dataset');
    await fs.mkdir(dataset, { recursive: true });
    await fs.writeFile(path.join(dataset, 'dataset.json'), '{"training": [], "numTraining": 0}');
    const error = await failure('app.openDemo');
    expect(error.code).toBe('UNSUPPORTED');
    await expect(fs.stat(path.join(dir, 'demo', 'project'))).rejects.toThrow();
  });

  it('answers UNSUPPORTED for native dialogs unless the shell provides them', async () => {
    const { failure } = await setup();
    const error = await failure('app.pickFolder', { mode: 'create' });
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/type the folder path/);
    expect((await failure('app.pickFiles', {})).code).toBe('UNSUPPORTED');

    const asked: unknown[] = [];
    const desktop = await setup({
      shell: 'electron',
      dialogs: {
        pickFolder: async (options) => (asked.push(options), options.mode === 'open' ? '/x' : null),
        pickFiles: async (options) => (asked.push(options), ['/a.nii.gz', '/b.nii.gz']),
      },
    });
    expect(await desktop.call('app.pickFolder', { title: 'Open project' })).toEqual({ path: '/x' });
    expect(await desktop.call('app.pickFolder', { mode: 'create' })).toEqual({ path: null });
    expect(await desktop.call('app.pickFiles', { folders: true })).toEqual({
      paths: ['/a.nii.gz', '/b.nii.gz'],
    });
    expect(asked).toEqual([
      { title: 'Open project', mode: 'open' },
      { title: undefined, mode: 'create' },
      { title: undefined, folders: true },
    ]);
    expect((await desktop.failure('app.pickFolder', { mode: 'delete' })).code).toBe('BAD_INPUT');
  });
});
