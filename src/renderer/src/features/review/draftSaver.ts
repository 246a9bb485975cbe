// Draft saving of the proposal in view (renderer, no UI): the user's edits of a proposal are
// saved in the project as a draft (not a label version) after a pause in painting, at once when
// the view leaves the study, and retried after a failure — so a reload or a crash brings them
// back. Edits undone back to the proposal as predicted discard the draft instead.

export type DraftStatus = 'none' | 'unsaved' | 'saving' | 'saved' | 'failed';

export interface DraftState {
  status: DraftStatus;
  /** When the back end last stored the draft (ISO time). */
  savedAt: string | null;
  error: string | null;
}

export interface DraftPort {
  /** The labels in view now (file order); null while a stroke is being drawn. */
  read(): Uint8Array | null;
  /** True when `labels` are exactly the proposal as predicted. */
  isOriginal(labels: Uint8Array): boolean;
  save(labels: Uint8Array): Promise<string>;
  discard(): Promise<void>;
  onState(state: DraftState): void;
}

export const DRAFT_RETRY_MS = 5000;

export class DraftSaver {
  private state: DraftState;
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly port: DraftPort,
    private readonly delayMs: number,
    /** A draft the proposal opened with: saved already, or only in memory (dirty). */
    start: { savedAt: string | null; dirty: boolean } = { savedAt: null, dirty: false },
  ) {
    this.state = {
      status: start.dirty ? 'unsaved' : start.savedAt ? 'saved' : 'none',
      savedAt: start.savedAt,
      error: null,
    };
    this.dirty = start.dirty;
    // The first state is read from `current`; onState reports the changes after it.
    if (start.dirty) this.schedule(delayMs);
  }

  get current(): DraftState {
    return this.state;
  }

  /** True while edits exist that the back end does not have. */
  get unsaved(): boolean {
    return this.dirty || this.inFlight !== null || this.state.status === 'failed';
  }

  /** The proposal in view changed (an edit, undo or redo): save after a pause. */
  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.set({ status: 'unsaved', error: null });
    this.schedule(this.delayMs);
  }

  /**
   * Saves now what is on screen, if anything is unsaved (the labels are read at once, before
   * the view changes), and resolves when the back end has it or refused it.
   */
  flushNow(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return this.inFlight ?? Promise.resolve();
    return this.saveOnce(this.port.read());
  }

  /** Stops saving (the proposal left the view or was decided on). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.saveOnce();
    }, delayMs);
  }

  /** Saves `given` (read when the save was asked for) or what is on screen now. */
  private async saveOnce(given?: Uint8Array | null): Promise<void> {
    const labels = given ?? this.port.read();
    if (!labels) {
      if (!this.stopped) this.schedule(this.delayMs); // never half a stroke
      return;
    }
    this.dirty = false;
    // One save at a time, in the order they were asked for.
    while (this.inFlight) await this.inFlight;
    this.set({ status: 'saving', error: null });
    const original = this.port.isOriginal(labels);
    this.inFlight = (async () => {
      try {
        if (original) {
          await this.port.discard();
          this.set({ status: this.dirty ? 'unsaved' : 'none', savedAt: null });
        } else {
          const savedAt = await this.port.save(labels);
          this.set({ status: this.dirty ? 'unsaved' : 'saved', savedAt });
        }
      } catch (error) {
        this.dirty = true;
        this.set({ status: 'failed', error: (error as Error).message });
        if (!this.stopped) this.schedule(DRAFT_RETRY_MS);
      } finally {
        this.inFlight = null;
      }
    })();
    await this.inFlight;
  }

  private set(patch: Partial<DraftState>): void {
    this.state = { ...this.state, ...patch };
    this.port.onState(this.state);
  }
}
