// The user's own configuration (plain Node): settings.json and recent.json in the per-user
// config folder, read once (a missing or unreadable file falls back to defaults), with the
// shell's overrides on top, and written whole on each change. Without a folder nothing persists.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../core/fs/atomic';
import {
  appSettingsSchema,
  DEFAULT_APP_SETTINGS,
  type AppSettings,
  type RecentProject,
} from '../shared/contract/app';

const RECENT_LIMIT = 10;

export class UserConfig {
  settings: AppSettings = { ...DEFAULT_APP_SETTINGS };
  recent: RecentProject[] = [];
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly configDir: string | undefined,
    /** Override the persisted settings (e.g. `simcvd serve --backend cpu`). */
    private readonly overrides: Partial<AppSettings> | undefined,
  ) {}

  /** Reads settings and recent projects once; concurrent first calls share the one read. */
  load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  async setSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    this.settings = appSettingsSchema.parse({ ...this.settings, ...patch });
    if (this.configDir)
      await writeJsonAtomic(path.join(this.configDir, 'settings.json'), this.settings);
    return this.settings;
  }

  /** Puts a just-opened project first in the recent list. */
  async remember(project: { root: string; name: string }): Promise<void> {
    const entry = {
      path: project.root,
      name: project.name,
      openedAt: new Date().toISOString(),
    };
    this.recent = [entry, ...this.recent.filter((r) => r.path !== project.root)].slice(
      0,
      RECENT_LIMIT,
    );
    await this.saveRecent();
  }

  async forget(root: string): Promise<RecentProject[]> {
    this.recent = this.recent.filter((r) => r.path !== root);
    await this.saveRecent();
    return this.recent;
  }

  private async saveRecent(): Promise<void> {
    if (this.configDir)
      await writeJsonAtomic(path.join(this.configDir, 'recent.json'), this.recent);
  }

  private async read(): Promise<void> {
    const dir = this.configDir;
    if (dir) {
      const settings = appSettingsSchema
        .partial()
        .safeParse(await readJson(path.join(dir, 'settings.json')));
      if (settings.success) this.settings = { ...this.settings, ...settings.data };
      const recent = await readJson(path.join(dir, 'recent.json'));
      if (Array.isArray(recent))
        this.recent = recent.filter(
          (r): r is RecentProject =>
            typeof r?.path === 'string' &&
            typeof r?.name === 'string' &&
            typeof r?.openedAt === 'string',
        );
    }
    this.settings = { ...this.settings, ...this.overrides };
  }
}

/** A settings file that is missing or unreadable falls back to defaults (never blocks startup). */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
