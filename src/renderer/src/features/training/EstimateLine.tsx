// The training estimate line (renderer): how long the chosen run would take on the detected
// backend, measured on this machine, with the studies it would use — or why there is none.
import { formatDuration } from './chart';
import type { useTrainingStore } from './store';

export function EstimateLine({
  estimate,
  estimating,
  error,
}: {
  estimate: ReturnType<typeof useTrainingStore.getState>['estimate'];
  estimating: boolean;
  error: string | null;
}) {
  if (estimating && !estimate)
    return (
      <p className="training-estimate" role="status">
        Measuring this machine’s speed…
      </p>
    );
  if (error)
    return (
      <p className="training-estimate hint" role="status">
        No estimate: {error}
      </p>
    );
  if (!estimate) return null;
  return (
    <p className="training-estimate" role="status" title={estimate.backend.reason}>
      {estimate.continueFrom ? `Continuing ${estimate.continueFrom}: about ` : 'About '}
      <strong>{formatDuration(estimate.estimatedSeconds)}</strong> on{' '}
      <strong>{estimate.backend.name}</strong> ({estimate.iterations} iterations ×{' '}
      {estimate.secondsPerIteration.toFixed(2)} s), {estimate.labeled} labeled +{' '}
      {estimate.unlabeled} unlabeled studies
      {estimate.validation > 0 ? `, ${estimate.validation} held back for validation` : ''}.
      <span className="hint"> {estimate.backend.reason}</span>
    </p>
  );
}
