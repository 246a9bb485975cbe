// What every project-level handler gets (plain Node): the open project, how to reach clients,
// the project's one job slot and the engine settings of the shell that hosts us.
import type { ProjectStore } from '../core/project';
import type { EmitEvent } from '../shared/contract/events';
import type { AppSettings } from '../shared/contract/app';
import type { EngineProcessOptions } from '../engine/host/caller/client';
import { defaultComputeThreads } from '../engine/host/caller/threads';
import type { JobSlot } from './jobs';
import type { PacsJobSlot } from './pacsJobs';

export interface ProjectContext {
  store: ProjectStore;
  emit?: EmitEvent;
  /** Recorded in the provenance of labels saved from the app. */
  author?: string;
  jobs: JobSlot;
  /** The project's one DICOMweb transfer (retrieve or SEG export); made per handlers if absent. */
  pacs?: PacsJobSlot;
  /** The per-user settings folder (DICOMweb sources live there); absent: nothing persisted. */
  configDir?: string;
  /** Read at each job start so a settings change applies to the next job. */
  settings: () => AppSettings;
  /** Engine entry module (the built worker under Electron; default: the TypeScript source). */
  engineEntry?: string;
  /** Registers cleanup for when the project closes (e.g. stopping a speed measurement). */
  onClose?(cleanup: () => void): void;
}

/** Engine process options for the next job, from the current settings. */
export function engineOptions(ctx: ProjectContext): EngineProcessOptions & { backend: string } {
  const settings = ctx.settings();
  return {
    entry: ctx.engineEntry,
    maxHeapMiB: settings.maxHeapMiB,
    backend: settings.backend,
    threads: settings.threads ?? defaultComputeThreads(),
  };
}
