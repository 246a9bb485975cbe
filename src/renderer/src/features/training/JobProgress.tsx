// Job progress (renderer): the running or last training or prediction job — phase, progress
// bar, iteration, speed, time remaining, validation Dice, the model it made and its error.
import type { JobState } from '../../../../shared/contract/training';
import { formatDuration } from './chart';
import { backendName } from './estimateText';
import { isEnded } from './reducers';

const PHASE_LABEL: Record<JobState['phase'], string> = {
  starting: 'Starting',
  training: 'Training',
  predicting: 'Predicting proposals',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function JobProgress({ job }: { job: JobState }) {
  const predicting = job.phase === 'predicting' && job.prediction;
  const trained = job.iterations ? Math.round(((job.iteration ?? 0) / job.iterations) * 100) : 0;
  const percent = predicting
    ? Math.round((job.prediction!.done / Math.max(1, job.prediction!.total)) * 100)
    : trained;
  return (
    <div className="training-progress" aria-live="polite">
      <p>
        <strong>{PHASE_LABEL[job.phase]}</strong>
        {job.kind === 'prediction' ? ' (proposals)' : ''}
        {job.phase === 'predicting' && job.prediction
          ? ` ${job.prediction.done}/${job.prediction.total}`
          : ''}
        {job.resumed ? ' · resumed' : ''}
        {job.continueFrom ? ` · continuing ${job.continueFrom}` : ''}
        {job.backend ? ` · ${backendName(job.backend)}` : ''}
        {job.backend?.adapter ? ` on ${job.backend.adapter}` : ''}
      </p>
      {!isEnded(job) && (
        <progress
          aria-label={predicting ? 'Proposal progress' : 'Training progress'}
          max={100}
          value={percent}
        />
      )}
      <dl className="training-facts">
        {job.iterations !== undefined && (
          <>
            <dt>Iteration</dt>
            <dd>
              {job.iteration ?? 0} / {job.iterations} ({trained}%)
            </dd>
          </>
        )}
        {job.iterationsPerSecond !== undefined && job.phase === 'training' && (
          <>
            <dt>Speed</dt>
            <dd>{job.iterationsPerSecond.toFixed(2)} it/s</dd>
          </>
        )}
        {!isEnded(job) && (job.etaSeconds !== undefined || job.prediction) && (
          <>
            <dt>Remaining</dt>
            <dd>
              {formatDuration(
                job.phase === 'predicting' ? (job.prediction?.etaSeconds ?? NaN) : job.etaSeconds!,
              )}
            </dd>
          </>
        )}
        {job.validationDice !== undefined && (
          <>
            <dt>Validation Dice</dt>
            <dd>{job.validationDice.toFixed(3)}</dd>
          </>
        )}
        {job.modelId && (
          <>
            <dt>Model</dt>
            <dd>{job.modelId}</dd>
          </>
        )}
      </dl>
      {job.error && (
        <p role="alert" className="error">
          {job.error.message}
        </p>
      )}
    </div>
  );
}
