// API contract, events (shared): what the back end pushes to clients without being asked
// (WebSocket /api/events in server mode). Names are past tense; payloads are plain JSON.
import type { PacsJobState } from './pacs';
import type { JobState } from './training';

/**
 * What the desktop shell (native menu, a second app instance) asks the UI to do. Commands that
 * change the open project go through the UI so it can save pending edits first.
 */
export const SHELL_COMMANDS = [
  'newProject',
  'openProject',
  'openDemo',
  'closeProject',
  'openSettings',
  'showHelp',
] as const;
export type ShellCommandName = (typeof SHELL_COMMANDS)[number];

export interface ApiEvents {
  /** Import advanced by one item; `done === total` when finished. */
  importProgressed: { done: number; total: number; item: string };
  /** A label version was written (by this or another client). */
  labelSaved: { studyId: string; versionId: string };
  /** A project was opened or closed (e.g. from the desktop menu): reload everything. */
  projectChanged: { root: string | null };
  /** A job started, changed phase, advanced or ended (no loss history: see trainingProgressed). */
  jobChanged: JobState;
  /** One training iteration: a loss row (LOSS_COLUMNS) and the validation point, if any. */
  trainingProgressed: {
    jobId: string;
    row: number[];
    validation?: { iteration: number; dice: number };
  };
  /** Proposals or review decisions changed (new predictions, accept, reject, active model). */
  reviewChanged: { modelId: string | null };
  /** The PACS job (a DICOMweb retrieve or SEG export) started, advanced or ended. */
  pacsJobChanged: PacsJobState;
  /** Export advanced by one study; `done === total` when finished. */
  exportProgressed: { done: number; total: number; item: string };
  /** Desktop app only: a menu item or a second instance asks the UI to act (`path`: which
   *  project to open, when known). Never sent in server mode. */
  shellCommandIssued: { command: ShellCommandName; path?: string };
}

export type ApiEventName = keyof ApiEvents;

export interface ApiEventMessage<E extends ApiEventName = ApiEventName> {
  event: E;
  payload: ApiEvents[E];
}

export type EmitEvent = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;
