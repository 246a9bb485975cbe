// The workspace (plain Node): which project is open in this shell, recent projects, user
// settings and the first-run demo — the "app.*" methods — and the single entry point every
// transport calls. Electron main and server mode each hold one; neither has logic of its own.
// Settings and recent projects live in userConfig.ts, the making of the demo in demoProject.ts.
import path from 'node:path';
import { AppError } from '../core/errors';
import { pathExists } from '../core/fs/exists';
import { createProject, ProjectStore } from '../core/project';
import type { AppSettings, AppState, RecentProject } from '../shared/contract/app';
import type { ApiMethod, ApiResponse } from '../shared/contract/api';
import type { EmitEvent } from '../shared/contract/events';
import {
  createProjectHandlers,
  dispatch,
  type AppMethod,
  type ProjectHandlers,
  type ProjectMethod,
} from './handlers';
import { createPacsSourceHandlers, PACS_USER_METHODS } from './handlers/pacs';
import { JobSlot } from './jobs';
import { PacsJobSlot } from './pacsJobs';
import type { ProjectContext } from './context';
import { buildDemoProject, demoProjectDir, type DemoSize } from './demoProject';
import { UserConfig } from './userConfig';

/**
 * The desktop's own file dialogs (Electron main supplies them). Without them `app.pickFolder`
 * and `app.pickFiles` answer UNSUPPORTED and the UI asks for a typed path instead.
 */
export interface WorkspaceDialogs {
  /** Resolves to null when the user cancels. */
  pickFolder(options: { title?: string; mode: 'open' | 'create' }): Promise<string | null>;
  /** Resolves to [] when the user cancels. */
  pickFiles(options: { title?: string; folders: boolean }): Promise<string[]>;
}

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
  demo?: DemoSize;
  /** Overrides the persisted settings (e.g. `simcvd serve --backend cpu`). */
  settings?: Partial<AppSettings>;
  dialogs?: WorkspaceDialogs;
}

export class Workspace {
  private store: ProjectStore | null = null;
  private cleanups: (() => void)[] = [];
  private handlers: ProjectHandlers | null = null;
  private slot: JobSlot | null = null;
  private pacsSlot: PacsJobSlot | null = null;
  /** DICOMweb sources and search: these work with no project open. */
  private pacsUserHandlers: ReturnType<typeof createPacsSourceHandlers> | undefined;
  /** Settings and recent projects. */
  private readonly config: UserConfig;
  /** Project switches run one after another: a menu click and a button click never interleave. */
  private switching: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WorkspaceOptions) {
    this.config = new UserConfig(options.configDir, options.settings);
  }

  get project(): ProjectStore | null {
    return this.store;
  }

  /** The open project's job slot (e.g. to warn before quitting while training runs). */
  get jobs(): JobSlot | null {
    return this.slot;
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
      recent: this.config.recent,
      settings: this.config.settings,
      firstRun: this.config.recent.length === 0 && !project,
      defaultDemoPath: this.options.defaultDemoPath,
    };
  }

  openProject(dir: string): Promise<AppState> {
    return this.serially(() => this.openProjectNow(dir));
  }

  private async openProjectNow(dir: string): Promise<AppState> {
    await this.load();
    const root = path.resolve(dir);
    if (this.store?.root === root) return this.state();
    this.refuseWhileBusy('open another project');
    const store = await ProjectStore.open(root, { write: true, purpose: 'SimCVD workstation' });
    return this.switchTo(store);
  }

  createProject(dir: string, name?: string): Promise<AppState> {
    return this.serially(async () => {
      this.refuseWhileBusy('create another project');
      await createProject(dir, { name });
      return this.openProjectNow(dir);
    });
  }

  /** Generates the demo dataset and a project from it beside it, or reopens that project. */
  openDemo(dir = this.options.defaultDemoPath): Promise<AppState> {
    return this.serially(() => this.openDemoNow(dir));
  }

  private async openDemoNow(dir: string): Promise<AppState> {
    await this.load();
    const root = path.resolve(dir);
    const projectDir = demoProjectDir(root);
    if (await pathExists(path.join(projectDir, 'project.json')))
      return this.openProjectNow(projectDir);
    this.refuseWhileBusy('open the demo project');
    const store = await buildDemoProject(root, this.options.demo ?? {}, this.options.emit);
    return this.switchTo(store);
  }

  /** Makes an opened store the workspace's project, releasing the previous one. */
  private async switchTo(store: ProjectStore): Promise<AppState> {
    await this.closeStore();
    this.attach(store);
    await this.config.remember({ root: store.root, name: store.manifest.name });
    this.options.emit?.('projectChanged', { root: store.root });
    return this.state();
  }

  closeProject(): Promise<AppState> {
    return this.serially(async () => {
      this.refuseWhileBusy('close the project');
      if (this.store) {
        await this.closeStore();
        this.options.emit?.('projectChanged', { root: null });
      }
      return this.state();
    });
  }

  async forgetRecent(dir: string): Promise<RecentProject[]> {
    await this.load();
    return this.config.forget(path.resolve(dir));
  }

  async setSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    await this.load();
    return this.config.setSettings(patch);
  }

  /** Waits for a running job to end (after cancelling it) and releases the project. */
  async dispose(): Promise<void> {
    this.slot?.cancel();
    this.pacsSlot?.cancel();
    await this.slot?.settled();
    await this.pacsSlot?.settled();
    await this.closeStore();
  }

  private pickFolder(p: { title?: string; mode?: 'open' | 'create' }): Promise<string | null> {
    return this.dialogs().pickFolder({ title: p.title, mode: p.mode ?? 'open' });
  }

  private pickFiles(p: { title?: string; folders?: boolean }): Promise<string[]> {
    return this.dialogs().pickFiles({ title: p.title, folders: p.folders ?? false });
  }

  private dialogs(): WorkspaceDialogs {
    if (!this.options.dialogs)
      throw new AppError(
        'UNSUPPORTED',
        'File dialogs exist only in the desktop app; type the folder path instead.',
      );
    return this.options.dialogs;
  }

  private serially<T>(action: () => Promise<T>): Promise<T> {
    const run = this.switching.then(action, action);
    this.switching = run.catch(() => undefined);
    return run;
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
      'app.forgetRecent': async (p: { path: string }) => ({
        recent: await this.forgetRecent(p.path),
      }),
      'app.pickFolder': async (p: { title?: string; mode?: 'open' | 'create' }) => ({
        path: await this.pickFolder(p),
      }),
      'app.pickFiles': async (p: { title?: string; folders?: boolean }) => ({
        paths: await this.pickFiles(p),
      }),
    };
    if (Object.hasOwn(app, name)) return app[name as AppMethod];
    if (!this.handlers && (PACS_USER_METHODS as readonly string[]).includes(name))
      return this.pacsUser()[name as (typeof PACS_USER_METHODS)[number]] as (
        params: never,
      ) => Promise<unknown>;
    if (!this.handlers)
      return async () => {
        throw new AppError('NOT_FOUND', 'No project is open: open or create one first.');
      };
    return this.handlers[name as ProjectMethod] as (params: never) => Promise<unknown>;
  }

  private pacsUser(): ReturnType<typeof createPacsSourceHandlers> {
    this.pacsUserHandlers ??= createPacsSourceHandlers({ configDir: this.options.configDir });
    return this.pacsUserHandlers;
  }

  private attach(store: ProjectStore): void {
    this.store = store;
    this.slot = new JobSlot(this.options.emit);
    this.pacsSlot = new PacsJobSlot(this.options.emit);
    const cleanups: (() => void)[] = [];
    this.cleanups = cleanups;
    const ctx: ProjectContext = {
      store,
      emit: this.options.emit,
      author: this.options.author,
      jobs: this.slot,
      pacs: this.pacsSlot,
      configDir: this.options.configDir,
      settings: () => this.config.settings,
      engineEntry: this.options.engineEntry,
      onClose: (cleanup) => cleanups.push(cleanup),
    };
    this.handlers = createProjectHandlers(ctx);
  }

  private async closeStore(): Promise<void> {
    const store = this.store;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.store = null;
    this.handlers = null;
    this.slot = null;
    this.pacsSlot = null;
    await store?.close();
  }

  private refuseWhileBusy(action: string): void {
    const job = this.slot?.current;
    if (this.slot?.busy && job)
      throw new AppError(
        'CONFLICT',
        `Cannot ${action} while a ${job.kind} job runs in "${this.store?.manifest.name}": cancel it first.`,
      );
    if (this.pacsSlot?.busy)
      throw new AppError(
        'CONFLICT',
        `Cannot ${action} while a PACS ${this.pacsSlot.current?.kind === 'retrieve' ? 'retrieve' : 'SEG export'} runs in "${this.store?.manifest.name}": cancel it first.`,
      );
  }

  /** Reads settings and recent projects once; concurrent first calls share the one read. */
  private load(): Promise<void> {
    return this.config.load();
  }
}
