// The training estimate line (renderer): how long the chosen run would take on the detected
// backend (with its compute threads), measured on this machine, with the studies it would use
// — finished, partially labeled with their slices, unlabeled — or why there is none. An
// estimate for other choices than those on screen is never shown as theirs.
import { describeBackend, type TrainingEstimate } from '../../../../shared/contract/training';
import { formatDuration } from './chart';
import { backendName, describeStudies } from './estimateText';

export function EstimateLine({
  estimate,
  stale,
  estimating,
  error,
  profileLabel,
}: {
  estimate: TrainingEstimate | null;
  /** The estimate answers other choices (the profile changed): being measured again. */
  stale: boolean;
  estimating: boolean;
  error: string | null;
  profileLabel: string;
}) {
  if (error)
    return (
      <p className="training-estimate hint" role="status">
        No estimate: {error}
      </p>
    );
  if (!estimate || (stale && estimating))
    return estimating ? (
      <p className="training-estimate" role="status">
        Measuring this machine’s speed for {profileLabel}…
      </p>
    ) : null;
  return (
    <p className="training-estimate" role="status" title={estimate.backend.reason}>
      {estimate.continueFrom ? `Continuing ${estimate.continueFrom}: about ` : 'About '}
      <strong>{formatDuration(estimate.estimatedSeconds)}</strong> on{' '}
      <strong>{backendName(estimate.backend)}</strong> ({estimate.iterations} iterations ×{' '}
      {estimate.secondsPerIteration.toFixed(2)} s). Studies: {describeStudies(estimate)}
      {estimating ? ' (updating…)' : ''}.
      <span className="hint"> Backend: {describeBackend(estimate.backend)}.</span>
    </p>
  );
}
