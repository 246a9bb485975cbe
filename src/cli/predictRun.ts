// Running a prediction from the CLI (Node): backend line, one progress bar over volumes and
// their windows, Ctrl-C cancels; shared by `simcvd predict` and the proposals `simcvd train`
// predicts when it ends.
import type { PredictionHandle } from '../engine/host/caller/client';
import type { PredictionOutcome } from '../engine/host/protocol';
import { describeBackend } from '../shared/contract/training';
import { createProgress, formatDuration } from './output';

/** "12s, 3s per volume". */
export function predictionTimes(outcome: PredictionOutcome): string {
  const perVolume =
    outcome.items.reduce((s, i) => s + i.durationMs, 0) / Math.max(1, outcome.items.length);
  return `${formatDuration(outcome.durationMs / 1000)}, ${formatDuration(perVolume / 1000)} per volume`;
}

export async function followPrediction(
  handle: PredictionHandle,
  modelId: string,
): Promise<PredictionOutcome> {
  handle.events.on('backend', (b) => process.stderr.write(`backend: ${describeBackend(b)}\n`));
  const progress = createProgress(`predict ${modelId}`);
  handle.events.on('predictProgress', (p) =>
    progress(
      p.done * 1000 + Math.round((1000 * p.windowsDone) / Math.max(1, p.windowsTotal)),
      p.total * 1000,
      p.item,
    ),
  );
  const onSigint = () => handle.cancel();
  process.on('SIGINT', onSigint);
  try {
    return await handle.result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
