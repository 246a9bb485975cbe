// Live preview (renderer): while enabled, asks the running trainer for its foreground
// probability on the axial slice in view of the open study (follows the pointer over the axial
// view, or the slice chosen here) and draws it as a heat image oriented like the axial view,
// with its colour scale, refreshed every few iterations. A preview of another study or slice
// than the one asked for is not shown as this one's.
import { useEffect, useRef } from 'react';
import { useCursorStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import { HOT_GRADIENT, heatImage, sliceOrientation } from './preview';
import { usePreviewStore, useTrainingStore } from './store';

export function TrainingPreview() {
  const studyId = useStudiesStore((s) => s.currentStudyId);
  const study = useStudiesStore((s) => s.project?.studies.find((x) => x.id === s.currentStudyId));
  const readout = useCursorStore((s) => s.readout);
  const job = useTrainingStore((s) => s.job);
  const { enabled, target, result, error, inFlight, setEnabled, setTarget, refresh } =
    usePreviewStore();
  const training = job?.kind === 'training' && job.phase === 'training';
  const nz = study?.dims[2] ?? 0;
  // Only a preview of the study open now: the caption must never name another one.
  const shown = result && result.studyId === studyId ? result : null;

  // A new study starts at its middle slice; the axial view under the pointer moves it.
  useEffect(() => {
    if (!studyId || nz === 0) return setTarget(null);
    const current = usePreviewStore.getState().target;
    if (current?.studyId !== studyId) setTarget({ studyId, k: Math.floor(nz / 2) });
  }, [studyId, nz, setTarget]);
  useEffect(() => {
    if (readout?.viewportId === 'axial' && studyId) setTarget({ studyId, k: readout.voxel[2] });
  }, [readout, studyId, setTarget]);

  useEffect(() => {
    if (enabled && training) void refresh(job?.iteration);
  }, [enabled, training, job?.iteration, target, refresh]);

  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element || !shown) return;
    const [nx, ny] = shown.dims;
    element.width = nx;
    element.height = ny;
    const pixels = heatImage(
      new Uint8Array(shown.probability),
      nx,
      ny,
      sliceOrientation(shown.affine),
    );
    element
      .getContext('2d')
      ?.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, nx, ny), 0, 0);
  }, [shown]);

  return (
    <div className="training-preview">
      <label>
        <input
          type="checkbox"
          checked={enabled}
          disabled={!studyId}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        Preview on this slice
      </label>
      {enabled && target && (
        <label className="inline">
          Axial slice
          <input
            type="number"
            min={0}
            max={Math.max(0, nz - 1)}
            value={target.k}
            onChange={(e) => {
              const k = Math.round(Number(e.target.value));
              if (Number.isFinite(k) && k >= 0 && k < nz) setTarget({ ...target, k });
            }}
          />
          of 0–{Math.max(0, nz - 1)}
        </label>
      )}
      {enabled && !training && <p className="hint">The preview updates while training runs.</p>}
      {enabled && training && !shown && studyId && (
        <p className="hint">No preview of {studyId} yet: it comes with the next iterations.</p>
      )}
      {enabled && shown && (
        <figure>
          <canvas
            ref={canvas}
            className="preview-canvas"
            role="img"
            aria-label={`Foreground probability of the ${shown.network} network at iteration ${shown.iteration}, ${shown.studyId} axial slice ${shown.k}`}
          />
          <figcaption>
            {shown.studyId}, axial slice {shown.k}: the {shown.network} network at iteration{' '}
            {shown.iteration}
            {inFlight ? ' (updating…)' : ''}
          </figcaption>
          <div className="color-legend" aria-label="Probability legend">
            <div className="legend-bar" style={{ background: HOT_GRADIENT }} aria-hidden="true" />
            <span>Foreground probability: 0 (black) → red → yellow → 1 (white)</span>
          </div>
        </figure>
      )}
      {enabled && error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
