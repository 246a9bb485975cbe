// Label save queue (renderer, no UI): sends label versions to the back end one at a time per
// study, newest edit wins, and keeps every unsaved edit in memory until the back end has it.
// Transient failures retry with back-off; a conflict or a refused mask waits for the user.
import type { ApiErrorCode } from '../../../../shared/contract/errors';
import type { AnnotatedSlices } from '../../../../shared/contract/project';
import type { SaveLabelResult } from '../../../../shared/contract/labels';

export type SaveStatus = 'idle' | 'saving' | 'retrying' | 'failed' | 'conflict';

export interface SaveJob {
  studyId: string;
  /** uint8 labels in file order. */
  data: Uint8Array;
  final: boolean;
  /** Slices annotated so far (recorded with a version that is not final). */
  annotatedSlices: AnnotatedSlices;
  /** The editor's edit counter when the data was read; tells which edits a save covers. */
  generation: number;
}

export interface StudySaveState {
  status: SaveStatus;
  error: string | null;
  /** When the next automatic try happens (epoch ms), while retrying. */
  retryAtMs: number | null;
  /** Generation of the newest edit the back end has. */
  savedGeneration: number;
  /** True while an edit exists only in this page's memory. */
  unsaved: boolean;
}

export type SendLabel = (
  job: SaveJob & { baseVersion: string | null | undefined },
) => Promise<SaveLabelResult>;

interface Entry {
  /** Version the next save builds on: null = unlabeled, undefined = unknown (save anyway). */
  base: string | null | undefined;
  waiting: SaveJob | null;
  inFlight: SaveJob | null;
  status: SaveStatus;
  error: string | null;
  attempt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  retryAtMs: number | null;
  /** Save over a conflicting version (the user chose to keep this edit). */
  force: boolean;
  savedGeneration: number;
}

const RETRYABLE: ReadonlySet<ApiErrorCode> = new Set([
  'IO_FAILED',
  'INTERNAL',
  'LOCKED',
  'CANCELLED',
]);
const DEFAULT_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export class SaveQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(studyId: string, state: StudySaveState) => void>();
  private readonly savedListeners = new Set<(job: SaveJob, result: SaveLabelResult) => void>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly send: SendLabel,
    private readonly retryDelaysMs: number[] = DEFAULT_DELAYS_MS,
  ) {}

  private entry(studyId: string): Entry {
    let entry = this.entries.get(studyId);
    if (!entry) {
      entry = {
        base: undefined,
        waiting: null,
        inFlight: null,
        status: 'idle',
        error: null,
        attempt: 0,
        timer: undefined,
        retryAtMs: null,
        force: false,
        savedGeneration: 0,
      };
      this.entries.set(studyId, entry);
    }
    return entry;
  }

  /** Records the version a freshly loaded study shows (ignored while edits are unsaved). */
  setBase(studyId: string, versionId: string | null): void {
    const entry = this.entry(studyId);
    if (!entry.waiting && !entry.inFlight) entry.base = versionId;
  }

  enqueue(job: SaveJob): void {
    const entry = this.entry(job.studyId);
    entry.waiting = job;
    if (entry.status === 'failed') entry.status = 'idle';
    this.notify(job.studyId);
    void this.process(job.studyId);
  }

  /** The newest edit the back end does not have yet, to show instead of the stored label. */
  unsavedJob(studyId: string): SaveJob | null {
    const entry = this.entries.get(studyId);
    return entry?.waiting ?? entry?.inFlight ?? null;
  }

  state(studyId: string): StudySaveState {
    const entry = this.entry(studyId);
    return {
      status: entry.status,
      error: entry.error,
      retryAtMs: entry.retryAtMs,
      savedGeneration: entry.savedGeneration,
      unsaved: Boolean(entry.waiting || entry.inFlight),
    };
  }

  /** Studies with edits only in memory. */
  unsavedStudies(): string[] {
    return [...this.entries].filter(([, e]) => e.waiting || e.inFlight).map(([id]) => id);
  }

  retryNow(studyId: string): void {
    const entry = this.entry(studyId);
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (entry.status !== 'conflict') entry.status = 'idle';
    void this.process(studyId);
  }

  /** Resolves a conflict by saving this edit as the newest version (history keeps theirs). */
  overwrite(studyId: string): void {
    const entry = this.entry(studyId);
    entry.force = true;
    entry.status = 'idle';
    void this.process(studyId);
  }

  /** Forgets unsaved edits of a study (after the user chose to reload the stored label). */
  discard(studyId: string): void {
    const entry = this.entry(studyId);
    clearTimeout(entry.timer);
    this.entries.delete(studyId);
    this.notify(studyId);
    this.checkIdle();
  }

  subscribe(listener: (studyId: string, state: StudySaveState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onSaved(listener: (job: SaveJob, result: SaveLabelResult) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  /** Resolves when nothing is being sent or waiting to be sent without user action. */
  whenSettled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  private isSettled(): boolean {
    return [...this.entries.values()].every(
      (e) => !e.inFlight && (!e.waiting || e.status === 'failed' || e.status === 'conflict'),
    );
  }

  private checkIdle(): void {
    if (!this.isSettled()) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters.clear();
  }

  private notify(studyId: string): void {
    const state = this.entries.has(studyId)
      ? this.state(studyId)
      : {
          status: 'idle' as const,
          error: null,
          retryAtMs: null,
          savedGeneration: 0,
          unsaved: false,
        };
    for (const listener of this.listeners) listener(studyId, state);
  }

  private async process(studyId: string): Promise<void> {
    const entry = this.entries.get(studyId);
    if (!entry || entry.inFlight || entry.timer) return;
    if (entry.status === 'conflict' || entry.status === 'failed') return;
    const job = entry.waiting;
    if (!job) {
      entry.status = 'idle';
      this.notify(studyId);
      this.checkIdle();
      return;
    }
    entry.waiting = null;
    entry.inFlight = job;
    entry.status = 'saving';
    entry.retryAtMs = null;
    this.notify(studyId);
    try {
      const result = await this.send({ ...job, baseVersion: entry.force ? undefined : entry.base });
      if (this.entries.get(studyId) !== entry) return;
      entry.base = result.version.id;
      entry.force = false;
      entry.attempt = 0;
      entry.error = null;
      entry.savedGeneration = Math.max(entry.savedGeneration, job.generation);
      entry.inFlight = null;
      entry.status = 'idle';
      for (const listener of this.savedListeners) listener(job, result);
    } catch (error) {
      if (this.entries.get(studyId) !== entry) return;
      entry.inFlight = null;
      // A newer edit supersedes this one; otherwise keep it to send again.
      entry.waiting ??= job;
      const code = (error as { code?: ApiErrorCode }).code ?? 'INTERNAL';
      entry.error = (error as Error).message;
      if (code === 'CONFLICT') {
        entry.status = 'conflict';
      } else if (RETRYABLE.has(code)) {
        const delayMs = this.retryDelaysMs[Math.min(entry.attempt, this.retryDelaysMs.length - 1)]!;
        entry.attempt++;
        entry.status = 'retrying';
        entry.retryAtMs = Date.now() + delayMs;
        entry.timer = setTimeout(() => {
          entry.timer = undefined;
          entry.status = 'idle';
          void this.process(studyId);
        }, delayMs);
      } else {
        entry.status = 'failed';
      }
    }
    this.notify(studyId);
    this.checkIdle();
    void this.process(studyId);
  }
}
