// The workspace (plain Node): which project is open in this shell, recent projects, user
// settings and the first-run demo — the "app.*" methods — and the single entry point every
// transport calls. Electron main and server mode each hold one; neither has logic of its own.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { writeJsonAtomic } from '../core/fs/atomic';
import { createProject, importStudies, ProjectStore } from '../core/project';
import { writeDemoDataset } from '../core/demo';
import {
  appSettingsSchema,
  DEFAULT_APP_SETTINGS,
  type AppSettings,
  type AppState,
  type RecentProject,
} from '../shared/contract/app';
import type { ApiMethod, ApiResponse } from '../shared/contract/api';
import type { EmitEvent } from '../shared/contract/events';
import {
  createProjectHandlers,
  dispatch,
  type AppMethod,
  type ProjectHandlers,
  type ProjectMethod,
} from './handlers';
import { JobSlot } from './jobs';
import type { ProjectContext } from './context';

export interface WorkspaceOptions {
  shell: AppState['shell'];
  /** Folder for settings.json and recent.json (Electron: userData). Absent: nothing persisted. */
  configDir?: string;
  emit?: EmitEvent;
  author?: string;
  engineEntry?: string;
  /** Where "Open demo project" writes by default. */
  defaultDemoPath: string;
  /** Demo size (tests use a small one). */
  demo?: { studies?: number; test?: number; labeled?: number; dims?: [number, number, number] };
  /** Overrides the persisted settings (e.g. `simcvd serve --backend cpu`). */
  settings?: Partial<AppSettings>;
}

const RECENT_LIMIT = 10;
const DEMO_LABELED = 2;

export class Workspace {
  private store: ProjectStore | null = null;
  private handlers: ProjectHandlers | null = null;
  private jobs: JobSlot | null = null;
  private settings: AppSettings = { ...DEFAULT_APP_SETTINGS };
  private recent: RecentProject[] = [];
  private loaded = false;

  constructor(private readonly options: WorkspaceOptions) {}

  get project(): ProjectStore | null {
    return this.store;
  }

  /** Validates and runs one call from any transport; never throws. */
  async call(method: unknown, params: unknown): Promise<ApiResponse<ApiMethod>> {
    await this.load();
    return dispatch((name) => this.handlerFor(name), method, params);
  }

  async state(): Promise<AppState> {
    await this.load();
    const project = this.handlers ? await this.handlers['project.info']({}) : null;
    return {
      shell: this.options.shell,
      project,
      recent: this.recent,
      settings: this.settings,
      firstRun: this.recent.length === 0 && !project,
      defaultDemoPath: this.options.defaultDemoPath,
    };
  }

  async openProject(dir: string): Promise<AppState> {
    await this.load();
    const root = path.resolve(dir);
    if (this.store?.root === root) return this.state();
    this.refuseWhileBusy('open another project');
    const store = await ProjectStore.open(root, { write: true, purpose: 'SimCVD workstation' });
    await this.closeStore();
    this.attach(store);
    await this.remember(store);
    this.options.emit?.('projectChanged', { root: store.root });
    return this.state();
  }

  async createProject(dir: string, name?: string): Promise<AppState> {
    await createProject(dir, { name });
    return this.openProject(dir);
  }

  /** Generates the demo dataset and a project from it beside it, or reopens that project. */
  async openDemo(dir = this.options.defaultDemoPath): Promise<AppState> {
    const root = path.resolve(dir);
    const projectDir = path.join(root, 'project');
    if (await exists(path.join(projectDir, 'project.json'))) return this.openProject(projectDir);
    const datasetDir = path.join(root, 'dataset');
    const demo = this.options.demo ?? {};
    if (!(await exists(path.join(datasetDir, 'dataset.json')))) {
      await writeDemoDataset(datasetDir, {
        studies: demo.studies,
        test: demo.test,
        dims: demo.dims,
      });
    }
    this.refuseWhileBusy('open the demo project');
    await createProject(projectDir, { name: 'Demo (left atrium, synthetic)' });
    const store = await ProjectStore.open(projectDir, { write: true, purpose: 'SimCVD workstation' });
    try {
      await importStudies(store, [datasetDir], {
        labeled: demo.labeled ?? DEMO_LABELED,
        onProgress: (p) => this.options.emit?.('importProgressed', p),
      });
    } catch (error) {
      await store.close();
      throw error;
    }
    await this.closeStore();
    this.attach(store);
    await this.remember(store);
    this.options.emit?.('projectChanged', { root: store.root });
    return this.state();
  }

  async closeProject(): Promise<AppState> {
    this.refuseWhileBusy('close the project');
    await this.closeStore();
    this.options.emit?.('projectChanged', { root: null });
    return this.state();
  }

  async setSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    await this.load();
    this.settings = appSettingsSchema.parse({ ...this.settings, ...patch });
    if (this.options.configDir)
      await writeJsonAtomic(path.join(this.options.configDir, 'settings.json'), this.settings);
    return this.settings;
  }

  /** Waits for a running job to end (after cancelling it) and releases the project. */
  async dispose(): Promise<void> {
    this.jobs?.cancel();
    await this.jobs?.settled();
    await this.closeStore();
  }

  private handlerFor(name: ApiMethod): (params: never) => Promise<unknown> {
    const app: Record<AppMethod, (params: never) => Promise<unknown>> = {
      'app.state': () => this.state(),
      'app.openProject': (p: { path: string }) => this.openProject(p.path),
      'app.createProject': (p: { path: string; name?: string }) =>
        this.createProject(p.path, p.name),
      'app.openDemo': (p: { path?: string }) => this.openDemo(p.path),
      'app.closeProject': () => this.closeProject(),
      'app.setSettings': async (p: Partial<AppSettings>) => ({
        settings: await this.setSettings(p),
      }),
    };
    if (Object.hasOwn(app, name)) return app[name as AppMethod];
    if (!this.handlers)
      return async () => {
        throw new AppError('NOT_FOUND', 'No project is open: open or create one first.');
      };
    return this.handlers[name as ProjectMethod] as (params: never) => Promise<unknown>;
  }

  private attach(store: ProjectStore): void {
    this.store = store;
    this.jobs = new JobSlot(this.options.emit);
    const ctx: ProjectContext = {
      store,
      emit: this.options.emit,
      author: this.options.author,
      jobs: this.jobs,
      settings: () => this.settings,
      engineEntry: this.options.engineEntry,
    };
    this.handlers = createProjectHandlers(ctx);
  }

  private async closeStore(): Promise<void> {
    const store = this.store;
    this.store = null;
    this.handlers = null;
    this.jobs = null;
    await store?.close();
  }

  private refuseWhileBusy(action: string): void {
    const job = this.jobs?.current;
    if (this.jobs?.busy && job)
      throw new AppError(
        'CONFLICT',
        `Cannot ${action} while a ${job.kind} job runs in "${this.store?.manifest.name}": cancel it first.`,
      );
  }

  private async remember(store: ProjectStore): Promise<void> {
    const entry = { path: store.root, name: store.manifest.name, openedAt: new Date().toISOString() };
    this.recent = [entry, ...this.recent.filter((r) => r.path !== store.root)].slice(0, RECENT_LIMIT);
    if (this.options.configDir)
      await writeJsonAtomic(path.join(this.options.configDir, 'recent.json'), this.recent);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const dir = this.options.configDir;
    if (dir) {
      const settings = appSettingsSchema
        .partial()
        .safeParse(await readJson(path.join(dir, 'settings.json')));
      if (settings.success) this.settings = { ...this.settings, ...settings.data };
      const recent = await readJson(path.join(dir, 'recent.json'));
      if (Array.isArray(recent))
        this.recent = recent.filter(
          (r): r is RecentProject =>
            typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string',
        );
    }
    this.settings = { ...this.settings, ...this.options.settings };
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** A settings file that is missing or unreadable falls back to defaults (never blocks startup). */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
