// Predicting proposals as a project job (plain Node): runs the engine's prediction process for
// the studies without a final label, reports progress into the job slot, and tells clients
// when new proposals exist. Shared by "proposals.predict" and the predict-after-training step.
import { predictProject } from '../engine/host/caller/predict';
import { engineOptions, type ProjectContext } from './context';
import type { JobControl } from './jobs';

export interface PredictionJobRequest {
  modelId?: string;
  studies?: string[];
}

/** Runs inside a job (as the whole job, or as training's last phase); resolves with the model. */
export async function predictProposals(
  ctx: ProjectContext,
  control: JobControl,
  request: PredictionJobRequest,
): Promise<{ modelId: string; predicted: number }> {
  const options = engineOptions(ctx);
  const { modelId, handle } = await predictProject(ctx.store, {
    ...options,
    modelId: request.modelId,
    studies: request.studies,
  });
  control.onCancel(() => handle.cancel());
  control.update({ phase: 'predicting', modelId });
  handle.events.on('backend', (backend) => control.update({ backend }));
  handle.events.on('predictProgress', (p) =>
    control.update({
      prediction: { done: p.done, total: p.total, item: p.item, etaSeconds: p.etaSeconds },
    }),
  );
  const outcome = await handle.result;
  ctx.emit?.('reviewChanged', { modelId });
  return { modelId, predicted: outcome.items.length };
}
