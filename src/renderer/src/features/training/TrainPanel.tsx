// Train panel (renderer): choose a profile and see how long it would take on the detected
// backend, start, resume or cancel training, and follow it live — progress, speed, ETA,
// validation Dice, the proposal phase, a curve per loss term and a preview on the slice in view.
import { useEffect, useMemo, useState } from 'react';
import {
  TRAINING_PROFILES,
  type TrainingOptions,
  type TrainingProfileChoice,
} from '../../../../shared/contract/training';
import { useStudiesStore } from '../studies/store';
import { EstimateLine } from './EstimateLine';
import { estimateKey, studiesFingerprint } from './estimateText';
import { JobProgress } from './JobProgress';
import { LossCharts } from './LossCharts';
import { isEnded } from './reducers';
import { connectTraining, useTrainingStore } from './store';
import { StartFrom } from './StartFrom';
import { loadForm, PROFILE_LABEL, saveForm, type TrainForm } from './trainForm';
import { TrainingPreview } from './TrainingPreview';

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
  // Finishing or annotating another study changes what training would use: ask again.
  const studies = useStudiesStore((s) => studiesFingerprint(s.project?.studies ?? []));
  // So do the engine settings (backend, compute threads): the speed is measured per setting.
  const settings = useStudiesStore((s) => JSON.stringify(s.app?.settings ?? null));
  useEffect(() => {
    if (!canMeasure) return;
    // A profile change asks at once; custom fields change per keystroke: wait for a pause.
    if (profile !== 'custom') {
      void requestEstimate(profile, options, from);
      return;
    }
    const timer = setTimeout(() => void requestEstimate(profile, options, from), 400);
    return () => clearTimeout(timer);
  }, [profile, options, from, requestEstimate, canMeasure, studies, settings]);
  const stale = store.estimateKey !== estimateKey(profile, options, from);
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
        <EstimateLine
          estimate={estimate}
          stale={stale}
          estimating={estimating}
          error={estimateError}
          profileLabel={`the ${profile} profile`}
        />
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
