// The PACS job slot of a project (plain Node): at most one DICOMweb transfer — a retrieve or a
// SEG export — runs per project, beside (not instead of) its engine job. Like the engine slot
// it outlives a window: a reloaded renderer finds the job and its progress (`pacs.status`), and
// every change is pushed as a `pacsJobChanged` event. Cancel aborts the transfer's signal.
import { AppError, toErrorPayload } from '../core/errors';
import type { EmitEvent } from '../shared/contract/events';
import type {
  PacsJobKind,
  PacsJobPhase,
  PacsJobState,
  PacsProgress,
} from '../shared/contract/pacs';

export interface PacsJobControl {
  readonly signal: AbortSignal;
  /** Moves to a phase; the ETA restarts with it. */
  phase(phase: PacsJobPhase): void;
  progress(progress: Omit<PacsProgress, 'etaSeconds'>): void;
}

export type PacsJobRunner = (
  control: PacsJobControl,
) => Promise<Pick<PacsJobState, 'retrieve' | 'export'>>;

const ENDED: ReadonlySet<PacsJobPhase> = new Set(['finished', 'failed', 'cancelled']);
/** Progress events at most this often (the last one of a phase always goes out). */
const EMIT_INTERVAL_MS = 200;

let nextJobNumber = 1;

export class PacsJobSlot {
  private state: PacsJobState | null = null;
  private abort: AbortController | null = null;
  private finished: Promise<void> = Promise.resolve();

  constructor(
    private readonly emit?: EmitEvent,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): PacsJobState | null {
    return this.state && structuredClone(this.state);
  }

  get busy(): boolean {
    return this.state !== null && !ENDED.has(this.state.phase);
  }

  settled(): Promise<void> {
    return this.finished;
  }

  /** Starts `run` as the project's PACS job; CONFLICT while another one runs. */
  start(kind: PacsJobKind, target: string, run: PacsJobRunner): PacsJobState {
    if (this.busy)
      throw new AppError(
        'CONFLICT',
        `A PACS ${this.state!.kind === 'retrieve' ? 'retrieve' : 'SEG export'} is already running in this project (${this.state!.phase}); cancel it or wait for it to finish.`,
      );
    const id = `pacs-${this.now().toString(36)}-${nextJobNumber++}`;
    const abort = new AbortController();
    this.abort = abort;
    this.state = {
      id,
      kind,
      phase: 'starting',
      startedAt: new Date(this.now()).toISOString(),
      target,
    };
    this.announce();
    let phaseStarted = this.now();
    let phaseStartDone = 0;
    let lastEmit = 0;
    const mine = () => this.state?.id === id;
    const control: PacsJobControl = {
      signal: abort.signal,
      phase: (phase) => {
        if (!mine() || this.state!.phase === phase) return;
        phaseStarted = this.now();
        phaseStartDone = 0;
        this.state = { ...this.state!, phase, progress: undefined };
        this.announce();
      },
      progress: (p) => {
        if (!mine()) return;
        if (p.done === 0 || phaseStartDone > p.done) phaseStartDone = p.done;
        const eta = estimate(this.now() - phaseStarted, p.done - phaseStartDone, p.total - p.done);
        this.state = {
          ...this.state!,
          progress: { ...p, ...(eta !== undefined ? { etaSeconds: eta } : {}) },
        };
        if (p.done >= p.total || this.now() - lastEmit >= EMIT_INTERVAL_MS) {
          lastEmit = this.now();
          this.announce();
        }
      },
    };
    this.finished = run(control).then(
      (result) => this.end(id, { ...result, phase: 'finished' }),
      (error: unknown) => {
        const payload = toErrorPayload(error);
        const cancelled = payload.code === 'CANCELLED';
        this.end(id, {
          phase: cancelled ? 'cancelled' : 'failed',
          ...(cancelled ? {} : { error: payload }),
        });
      },
    );
    return structuredClone(this.state);
  }

  /** Asks the running job to stop; returns its state (null when nothing ran). */
  cancel(): PacsJobState | null {
    if (this.busy) this.abort?.abort();
    return this.current;
  }

  private end(id: string, patch: Partial<PacsJobState>): void {
    if (this.state?.id !== id) return;
    this.state = { ...this.state, ...patch, finishedAt: new Date(this.now()).toISOString() };
    this.announce();
  }

  private announce(): void {
    if (this.state) this.emit?.('pacsJobChanged', structuredClone(this.state));
  }
}

/** Seconds left at the rate so far; undefined until something was done. */
function estimate(elapsedMs: number, done: number, left: number): number | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  return Math.round(((elapsedMs / done) * left) / 100) / 10;
}
