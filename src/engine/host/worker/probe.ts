// Speed probe (engine process, TF.js): builds the trainer state of a configuration and times a
// few SimCVD steps on synthetic patches, so the app can tell how long a run would take on the
// backend the engine picked, before touching any project data.
import { AppError } from '../../../core/errors';
import { createRng } from '../../../core/random';
import type { Batch } from '../../data/dataset';
import type { TrainingConfig } from '../../trainer/config';
import { createTrainerState, disposeTrainerState } from '../../trainer/state';
import { trainStep } from '../../trainer/step';
import type { ProbeOutcome, ProbeRequest } from '../protocol';

/** Noisy patches with a ball of each foreground class, shaped like a real batch. */
export function syntheticBatch(config: TrainingConfig, seed = 7): Batch {
  const rng = createRng(seed);
  const [pi, pj, pk] = config.patchSize;
  const voxels = pi * pj * pk;
  const classes = config.network.numClasses;
  const radius = Math.max(1, Math.min(pi, pj, pk) / 4);
  const label = new Uint8Array(voxels);
  for (let k = 0, v = 0; k < pk; k++)
    for (let j = 0; j < pj; j++)
      for (let i = 0; i < pi; i++, v++) {
        const d = Math.hypot(i - pi / 2, j - pj / 2, k - pk / 2);
        // Concentric shells give every foreground class some voxels.
        if (d < radius)
          label[v] = Math.min(classes - 1, 1 + Math.floor((d / radius) * (classes - 1)));
      }
  const images = (count: number) => {
    const out = new Float32Array(count * voxels);
    for (let v = 0; v < out.length; v++) out[v] = label[v % voxels]! + 0.3 * rng.normal();
    return out;
  };
  const L = config.labeledPerBatch;
  const U = config.unlabeledPerBatch;
  const labels = new Uint8Array(L * voxels);
  for (let b = 0; b < L; b++) labels.set(label, b * voxels);
  return {
    labeledImages: images(L),
    labels,
    unlabeledImages: images(U),
    labeledCount: L,
    unlabeledCount: U,
    partial: new Array<boolean>(L).fill(false),
  };
}

export async function runProbe(request: ProbeRequest, signal?: AbortSignal): Promise<ProbeOutcome> {
  const state = createTrainerState(request.config);
  try {
    const batch = syntheticBatch(request.config);
    const stop = () => {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Speed measurement cancelled.');
    };
    for (let s = 0; s < request.warmupSteps; s++) {
      stop();
      await trainStep(state, batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
    let seconds = 0;
    for (let s = 0; s < request.timedSteps; s++) {
      stop();
      const t0 = performance.now();
      await trainStep(state, batch);
      seconds += (performance.now() - t0) / 1000;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return {
      secondsPerIteration: seconds / Math.max(1, request.timedSteps),
      timedSteps: request.timedSteps,
    };
  } finally {
    disposeTrainerState(state);
  }
}
