// Live preview (renderer): while enabled, asks the running trainer for its foreground
// probability on the axial slice in view (follows the pointer over the axial view, or the slice
// chosen here) and draws it as a heat image oriented like the axial view, refreshed every few
// iterations.
import { useEffect, useRef } from 'react';
import { useCursorStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import { heatImage, sliceOrientation } from './preview';
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
    if (!element || !result) return;
    const [nx, ny] = result.dims;
    element.width = nx;
    element.height = ny;
    const pixels = heatImage(
      new Uint8Array(result.probability),
      nx,
      ny,
      sliceOrientation(result.affine),
    );
    element
      .getContext('2d')
      ?.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, nx, ny), 0, 0);
  }, [result]);

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
          / {nz}
        </label>
      )}
      {enabled && !training && <p className="hint">The preview updates while training runs.</p>}
      {enabled && result && (
        <figure>
          <canvas
            ref={canvas}
            className="preview-canvas"
            role="img"
            aria-label={`Foreground probability of the ${result.network} network at iteration ${result.iteration}, ${result.studyId} axial slice ${result.k}`}
          />
          <figcaption>
            {result.studyId}, slice {result.k}: {result.network} at iteration {result.iteration}
            {inFlight ? ' (updating…)' : ''}
          </figcaption>
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
