// Train panel (renderer): choose a profile and see how long it would take on the detected
// backend, start, resume or cancel training, and follow it live — progress, speed, ETA,
// validation Dice, the proposal phase, a curve per loss term and a preview on the slice in view.
import { useEffect, useMemo, useState } from 'react';
import {
  TRAINING_PROFILES,
  type JobState,
  type TrainingOptions,
  type TrainingProfileChoice,
} from '../../../../shared/contract/training';
import { useStudiesStore } from '../studies/store';
import { formatDuration } from './chart';
import { LossCharts } from './LossCharts';
import { isEnded } from './reducers';
import { connectTraining, useTrainingStore } from './store';
import { TrainingPreview } from './TrainingPreview';
import { StartFrom, type StartChoice } from './StartFrom';

// The time each takes is measured on this machine and shown under the choice, not promised here.
const PROFILE_LABEL: Record<TrainingProfileChoice, string> = {
  quick: 'Quick (2 mm grid, small network, 300 iterations)',
  paper: 'Paper (112×112×80, 6000 iterations)',
  tiny: 'Tiny (smoke test)',
  custom: 'Custom',
};

const PHASE_LABEL: Record<JobState['phase'], string> = {
  starting: 'Starting',
  training: 'Training',
  predicting: 'Predicting proposals',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

interface TrainForm {
  profile: TrainingProfileChoice;
  iterations: number;
  supervisedOnly: boolean;
  predictAfter: boolean;
  startFrom: StartChoice;
}

const FORM_KEY = 'simcvd.training.form';
const DEFAULT_FORM: TrainForm = {
  profile: 'quick',
  iterations: 300,
  supervisedOnly: false,
  predictAfter: true,
  startFrom: 'continue',
};

/** The last choices, so a reload (or the next session) keeps the profile the user picked. */
function loadForm(): TrainForm {
  try {
    const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as Partial<TrainForm>;
    return {
      profile: TRAINING_PROFILES.includes(saved.profile!) ? saved.profile! : DEFAULT_FORM.profile,
      iterations:
        Number.isInteger(saved.iterations) && saved.iterations! > 0
          ? saved.iterations!
          : DEFAULT_FORM.iterations,
      supervisedOnly: saved.supervisedOnly === true,
      predictAfter: saved.predictAfter !== false,
      startFrom: saved.startFrom === 'scratch' ? 'scratch' : 'continue',
    };
  } catch {
    return DEFAULT_FORM;
  }
}

function saveForm(form: TrainForm): TrainForm {
  try {
    localStorage.setItem(FORM_KEY, JSON.stringify(form));
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
  return form;
}

export function TrainPanel() {
  const root = useStudiesStore((s) => s.project?.root);
  useEffect(() => (root ? connectTraining() : undefined), [root]);
  if (!root) return null;
  return <TrainPanelBody />;
}

function TrainPanelBody() {
  const store = useTrainingStore();
  const { job, losses, validation, checkpoint, estimate, estimating, estimateError } = store;
  const [form, setForm] = useState(loadForm);
  const { profile, iterations, supervisedOnly, predictAfter, startFrom } = form;
  // 'auto' continues when the model fits; the estimate says whether it does.
  const from = startFrom === 'scratch' ? 'scratch' : 'auto';
  const change = (patch: Partial<TrainForm>) =>
    setForm((current) => saveForm({ ...current, ...patch }));
  const [resume, setResume] = useState(false);
  const busy = !!job && !isEnded(job);

  const options = useMemo<TrainingOptions | undefined>(
    () => (profile === 'custom' ? { iterations, supervisedOnly } : undefined),
    [profile, iterations, supervisedOnly],
  );
  const requestEstimate = store.requestEstimate;
  // The measurement would compete with a running job (and be refused): wait until it ends.
  const canMeasure = store.loaded && !busy;
  useEffect(() => {
    if (!canMeasure) return;
    // Custom fields change per keystroke: measure once typing settles.
    const timer = setTimeout(() => void requestEstimate(profile, options, from), 400);
    return () => clearTimeout(timer);
  }, [profile, options, from, requestEstimate, canMeasure]);
  useEffect(() => {
    if (!checkpoint) setResume(false);
  }, [checkpoint]);

  const start = () =>
    void store.start({
      profile: resume && checkpoint ? (checkpoint.profile as TrainingProfileChoice) : profile,
      options: resume ? undefined : options,
      resume,
      predictAfter,
      from,
    });

  return (
    <section className="panel training-panel" aria-labelledby="training-title">
      <h2 id="training-title">Training</h2>
      <label>
        Profile
        <select
          value={profile}
          disabled={busy}
          onChange={(e) => change({ profile: e.target.value as TrainingProfileChoice })}
        >
          {TRAINING_PROFILES.map((p) => (
            <option key={p} value={p}>
              {PROFILE_LABEL[p]}
            </option>
          ))}
        </select>
      </label>
      {profile === 'custom' && (
        <fieldset className="training-custom" disabled={busy}>
          <legend>Custom (quick profile with)</legend>
          <label>
            Iterations
            <input
              type="number"
              min={1}
              max={100000}
              value={iterations}
              onChange={(e) =>
                change({ iterations: Math.max(1, Math.round(Number(e.target.value)) || 1) })
              }
            />
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={supervisedOnly}
              onChange={(e) => change({ supervisedOnly: e.target.checked })}
            />
            Supervised only (labeled studies, no unlabeled terms)
          </label>
        </fieldset>
      )}
      {!resume && (
        <StartFrom
          check={estimate?.continuation ?? null}
          choice={startFrom}
          disabled={busy}
          onChange={(choice) => change({ startFrom: choice })}
        />
      )}
      {canMeasure ? (
        <EstimateLine estimate={estimate} estimating={estimating} error={estimateError} />
      ) : (
        busy && <p className="training-estimate hint">The estimate is measured when no job runs.</p>
      )}
      {checkpoint && !busy && (
        <label className="inline">
          <input type="checkbox" checked={resume} onChange={(e) => setResume(e.target.checked)} />
          Resume the interrupted {checkpoint.profile} run (iteration {checkpoint.iteration} of{' '}
          {checkpoint.iterations})
        </label>
      )}
      <label className="inline">
        <input
          type="checkbox"
          checked={predictAfter}
          disabled={busy}
          onChange={(e) => change({ predictAfter: e.target.checked })}
        />
        Predict proposals when training ends
      </label>
      <div className="training-actions">
        <button type="button" onClick={start} disabled={busy || store.requesting}>
          Train
        </button>
        <button
          type="button"
          onClick={() => void store.cancel()}
          disabled={!busy}
          aria-label="Cancel training"
        >
          Cancel
        </button>
      </div>
      {store.actionError && (
        <p role="alert" className="error">
          {store.actionError}
        </p>
      )}
      {store.loadError && (
        <p role="alert" className="error">
          {store.loadError}
        </p>
      )}
      {job && <JobProgress job={job} />}
      {(losses.length > 0 || validation.length > 0) && (
        <LossCharts rows={losses} validation={validation} />
      )}
      <TrainingPreview />
    </section>
  );
}

function EstimateLine({
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

function JobProgress({ job }: { job: JobState }) {
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
        {job.backend ? ` · ${job.backend.name}` : ''}
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
