// Training time estimates (plain Node): measures seconds per iteration of a configuration on
// the backend the engine picks, in a short engine process (a warm-up step, then timed steps on
// synthetic patches), and remembers the answer per (backend setting, network and batch) for
// the life of the back end, since it measures this machine rather than a project.
import { AppError } from '../core/errors';
import type { EngineProcessOptions } from '../engine/host/caller/client';
import { probeTrainingSpeed } from '../engine/host/caller/train';
import type { TrainingConfig } from '../engine/trainer/config';
import type { EngineBackendInfo } from '../shared/contract/training';
import { speedFingerprint } from './trainingRows';

export interface SpeedMeasurement {
  backend: EngineBackendInfo;
  secondsPerIteration: number;
  measuredAt: string;
}

const measured = new Map<string, SpeedMeasurement>();

export function speedKey(backendSetting: string, config: TrainingConfig): string {
  return `${backendSetting}|${speedFingerprint(config)}`;
}

export function cachedSpeed(key: string): SpeedMeasurement | undefined {
  return measured.get(key);
}

/** Forgets every measurement (tests; a changed machine would need a restart anyway). */
export function clearSpeedCache(): void {
  measured.clear();
}

/**
 * Runs probes on demand, one per key at a time (concurrent callers share it), and can stop
 * them all when a real job needs the machine.
 */
export class SpeedProbes {
  private readonly running = new Map<
    string,
    { promise: Promise<SpeedMeasurement>; cancel: () => void }
  >();
  private readonly stopped = new Set<string>();

  measure(
    key: string,
    config: TrainingConfig,
    options: EngineProcessOptions,
  ): Promise<SpeedMeasurement> {
    const hit = measured.get(key);
    if (hit) return Promise.resolve(hit);
    const current = this.running.get(key);
    if (current) return current.promise;
    const handle = probeTrainingSpeed(config, options);
    let backend = { name: 'unknown', reason: '' };
    handle.events.on('backend', (b) => (backend = b));
    const promise = handle.result
      .then((outcome) => {
        const measurement: SpeedMeasurement = {
          backend,
          secondsPerIteration: outcome.secondsPerIteration,
          measuredAt: new Date().toISOString(),
        };
        measured.set(key, measurement);
        return measurement;
      })
      .catch((error: unknown) => {
        if (this.stopped.delete(key))
          throw new AppError(
            'CONFLICT',
            'The speed measurement was stopped because a job started in this project; ask again when it has finished.',
          );
        throw error;
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, { promise, cancel: () => handle.cancel() });
    return promise;
  }

  /** Stops every running probe (their callers get CONFLICT). */
  stopAll(): void {
    for (const [key, probe] of this.running) {
      this.stopped.add(key);
      probe.cancel();
    }
  }
}
