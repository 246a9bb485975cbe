// The job slot of a project (plain Node): at most one engine job (training or prediction) runs
// per project. The slot outlives any window, so a reloaded renderer finds the job, its phase
// and its whole loss history again; every change is pushed as a `jobChanged` event.
import { AppError } from '../core/errors';
import type { EmitEvent } from '../shared/contract/events';
import type { JobKind, JobState } from '../shared/contract/training';

export interface JobControl {
  readonly id: string;
  /** Merge fields into the job's state and tell clients. */
  update(patch: Partial<Omit<JobState, 'id' | 'kind' | 'startedAt'>>): void;
  /** Record one training iteration (a LOSS_COLUMNS row) and maybe a validation point. */
  addLossRow(row: number[], validation?: { iteration: number; dice: number }): void;
  /** Called once when the user cancels; the runner stops its engine process. */
  onCancel(handler: () => void): void;
  readonly cancelled: boolean;
}

export type JobRunner = (control: JobControl) => Promise<Partial<JobState> | void>;

let nextJobNumber = 1;

export class JobSlot {
  private state: JobState | null = null;
  private losses: number[][] = [];
  private validation: { iteration: number; dice: number }[] = [];
  private cancelHandlers: (() => void)[] = [];
  private cancelRequested = false;
  private finished: Promise<void> = Promise.resolve();

  constructor(private readonly emit?: EmitEvent) {}

  get current(): JobState | null {
    return this.state && { ...this.state };
  }

  get busy(): boolean {
    return this.state !== null && !isEnded(this.state.phase);
  }

  history(): { losses: number[][]; validation: { iteration: number; dice: number }[] } {
    return { losses: this.losses.map((r) => [...r]), validation: [...this.validation] };
  }

  /** Resolves when the running job (if any) has ended, whatever its outcome. */
  settled(): Promise<void> {
    return this.finished;
  }

  /** Starts `run` as the project's job; CONFLICT while another one runs. */
  start(kind: JobKind, initial: Partial<JobState>, run: JobRunner): JobState {
    if (this.busy) {
      const running = this.state!;
      throw new AppError(
        'CONFLICT',
        `A ${running.kind} job is already running in this project (${running.phase}); cancel it or wait for it to finish.`,
      );
    }
    const id = `job-${Date.now().toString(36)}-${nextJobNumber++}`;
    this.state = { ...initial, id, kind, phase: 'starting', startedAt: new Date().toISOString() };
    this.losses = [];
    this.validation = [];
    this.cancelHandlers = [];
    this.cancelRequested = false;
    const isCancelled = () => this.cancelRequested;
    const control: JobControl = {
      id,
      update: (patch) => this.patch(id, patch),
      addLossRow: (row, point) => {
        if (this.state?.id !== id) return;
        this.losses.push(row);
        if (point) this.validation.push(point);
        this.emit?.('trainingProgressed', {
          jobId: id,
          row,
          ...(point ? { validation: point } : {}),
        });
      },
      onCancel: (handler) => {
        this.cancelHandlers.push(handler);
        if (this.cancelRequested) handler();
      },
      get cancelled() {
        return isCancelled();
      },
    };
    this.emit?.('jobChanged', { ...this.state });
    this.finished = run(control).then(
      (final) =>
        this.patch(id, { ...final, phase: 'finished', finishedAt: new Date().toISOString() }),
      (error: unknown) => {
        const payload =
          error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
        this.patch(id, {
          phase: payload.code === 'CANCELLED' ? 'cancelled' : 'failed',
          finishedAt: new Date().toISOString(),
          ...(payload.code === 'CANCELLED' ? {} : { error: payload }),
        });
      },
    );
    return { ...this.state };
  }

  /** Asks the running job to stop; returns its state (null when nothing runs). */
  cancel(): JobState | null {
    if (!this.busy) return this.current;
    if (!this.cancelRequested) {
      this.cancelRequested = true;
      for (const handler of this.cancelHandlers) handler();
    }
    return this.current;
  }

  private patch(id: string, patch: Partial<JobState>): void {
    if (this.state?.id !== id) return;
    this.state = { ...this.state, ...patch };
    this.emit?.('jobChanged', { ...this.state });
  }
}

function isEnded(phase: JobState['phase']): boolean {
  return phase === 'finished' || phase === 'failed' || phase === 'cancelled';
}
