// API contract, application domain (shared): what exists before and around a project — which
// project is open, recent projects, the first-run demo and user settings (engine backend and
// memory budget). These methods work with no project open; every other method needs one.
import { z } from 'zod';
import type { ProjectInfo } from './project';

/**
 * The engine's backend choices, fastest first in 'auto' order (src/engine/backend.ts uses this
 * list): native TensorFlow on a CUDA GPU, WebGPU (dawn.node) on a hardware adapter, native
 * TensorFlow on the CPU, WebAssembly, plain JavaScript.
 */
export const ENGINE_BACKENDS = [
  'auto',
  'tfjs-node-gpu',
  'webgpu',
  'tfjs-node',
  'wasm',
  'cpu',
] as const;
export type EngineBackendChoice = (typeof ENGINE_BACKENDS)[number];

export const appSettingsSchema = z.object({
  /** Engine backend for training and prediction; "auto" picks the fastest that works. */
  backend: z.enum(ENGINE_BACKENDS),
  /** V8 heap limit of the engine process in MiB (the trainer's memory budget). */
  maxHeapMiB: z.number().int().min(512).max(262144),
  /** Compute threads of the cpu/wasm backends; null: the physical cores minus one. */
  threads: z.number().int().min(1).max(256).nullable(),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

export const DEFAULT_APP_SETTINGS: AppSettings = {
  backend: 'auto',
  maxHeapMiB: 8192,
  threads: null,
};

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

export interface AppState {
  /** "electron" (desktop app) or "server" (served to a browser). */
  shell: 'electron' | 'server';
  /** The open project, or null (then the app shows the welcome screen). */
  project: ProjectInfo | null;
  recent: RecentProject[];
  settings: AppSettings;
  /** True until the user opened or created any project. */
  firstRun: boolean;
  /** Where "Open demo project" puts the demo unless told otherwise. */
  defaultDemoPath: string;
}

const folder = z.string().min(1).max(4096);

export const appParamSchemas = {
  /** Open project, recent projects, settings. */
  'app.state': z.object({}),
  /** Open an existing project folder (one holding project.json). */
  'app.openProject': z.object({ path: folder }),
  /** Create a new, empty project in an empty or missing folder and open it. */
  'app.createProject': z.object({ path: folder, name: z.string().min(1).max(128).optional() }),
  /**
   * Generate the demo dataset (synthetic MR-like studies, some with labels) into `path`
   * (default `defaultDemoPath`), create a project from it and open it. Reopens it when it
   * already exists there.
   */
  'app.openDemo': z.object({ path: folder.optional() }),
  /** Close the open project (refused while a training or prediction job runs in it). */
  'app.closeProject': z.object({}),
  /** Change settings; unspecified fields keep their value. Persisted per user. */
  'app.setSettings': appSettingsSchema.partial(),
  /** Remove one entry from the recent projects (e.g. a folder that no longer exists). */
  'app.forgetRecent': z.object({ path: folder }),
  /**
   * Ask the user for a folder with the desktop's own dialog ("create" also offers a new
   * folder). Desktop app only: server mode answers UNSUPPORTED and the UI asks for a typed path.
   */
  'app.pickFolder': z.object({
    title: z.string().min(1).max(200).optional(),
    mode: z.enum(['open', 'create']).optional(),
  }),
  /** Ask for files to import (or folders, with `folders`); desktop app only, like pickFolder. */
  'app.pickFiles': z.object({
    title: z.string().min(1).max(200).optional(),
    folders: z.boolean().optional(),
  }),
} as const;

export interface AppApiResults {
  'app.state': AppState;
  'app.openProject': AppState;
  'app.createProject': AppState;
  'app.openDemo': AppState;
  'app.closeProject': AppState;
  'app.setSettings': { settings: AppSettings };
  'app.forgetRecent': { recent: RecentProject[] };
  /** `path` is null when the user cancelled. */
  'app.pickFolder': { path: string | null };
  /** Empty when the user cancelled. */
  'app.pickFiles': { paths: string[] };
}
