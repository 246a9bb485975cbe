// Review panel (renderer): progress of the review, the active model's proposals with their
// uncertainty and decision, Accept / Reject for the proposal in view, the uncertainty overlay,
// "Next study" (the highest-ranked study still to review, at its most informative slice) and
// predicting proposals on demand.
import { useEffect } from 'react';
import { useCommand } from '../../commands/useCommand';
import { studyLoader } from '../editor/instance';
import { useEditStore } from '../editor/store';
import { useStudiesStore } from '../studies/store';
import { describeCounts, reviewCounts } from '../studies/statusCounts';
import { uncertaintyOverlay } from './instance';
import { useReviewStore } from './store';

const DECISION_LABEL = { pending: 'To review', accepted: 'Accepted', rejected: 'Rejected' };

export function ReviewPanel() {
  const studies = useStudiesStore((s) => s.project?.studies);
  const activeModelId = useReviewStore((s) => s.activeModelId);
  const proposals = useReviewStore((s) => s.proposals);
  const job = useReviewStore((s) => s.job);
  const busy = useReviewStore((s) => s.busy);
  const error = useReviewStore((s) => s.error);
  const message = useReviewStore((s) => s.message);
  const studyId = useEditStore((s) => s.studyId);
  const review = useEditStore((s) => s.review);
  const loading = useEditStore((s) => s.loading);
  const uncertainty = useEditStore((s) => s.uncertainty);
  const accept = useCommand('review.accept');
  const reject = useCommand('review.reject');
  const nextStudy = useCommand('review.nextStudy');
  useEffect(() => useReviewStore.getState().connect(), []);
  if (!studies) return null;

  const counts = reviewCounts(studies);
  const decided = proposals.filter((p) => p.decision !== 'pending').length;
  const inView = proposals.find((p) => p.studyId === studyId);
  const predicting = job !== null && (job.phase === 'starting' || job.phase === 'predicting');
  // An empty final label would make training refuse the project; the back end refuses it too.
  const emptyAsProposed = !!review && !review.edited && inView?.foregroundVoxels === 0;

  return (
    <section className="panel review-panel" aria-labelledby="review-title">
      <h2 id="review-title">Review</h2>
      <p className="hint">
        {activeModelId
          ? `Proposals of ${activeModelId}`
          : 'No model yet: train one and its proposals appear here.'}
      </p>
      {proposals.length > 0 && (
        <label className="review-progress">
          Reviewed {decided} of {proposals.length}
          <progress max={proposals.length} value={decided} />
        </label>
      )}
      <p className="review-counts">{describeCounts(counts)}</p>

      {review && studyId && !loading && (
        <div className="review-actions" role="group" aria-label={`Proposal for ${studyId}`}>
          <button
            type="button"
            className="accept"
            disabled={busy !== null || review.busy || emptyAsProposed}
            onClick={() => accept.run()}
          >
            {accept.label}
          </button>
          <button
            type="button"
            className="reject"
            disabled={busy !== null || review.busy}
            onClick={() => reject.run()}
          >
            {reject.label}
          </button>
          <span className="hint">
            {review.edited
              ? 'edited'
              : emptyAsProposed
                ? 'empty proposal: draw the structure to accept it, or reject it'
                : 'as proposed'}
          </span>
        </div>
      )}
      {inView && (
        <div className="row">
          <button
            type="button"
            aria-pressed={uncertainty !== 'off'}
            disabled={uncertainty === 'loading'}
            onClick={() => void uncertaintyOverlay.set(uncertainty === 'off')}
          >
            Uncertainty overlay
          </button>
          {uncertainty === 'unavailable' && (
            <span className="hint">No uncertainty map for this study.</span>
          )}
        </div>
      )}

      <div className="row">
        <button
          type="button"
          disabled={!activeModelId || busy !== null}
          onClick={() => nextStudy.run()}
        >
          {nextStudy.label}
        </button>
        <button
          type="button"
          disabled={!activeModelId || busy !== null || predicting}
          onClick={() => void useReviewStore.getState().predict()}
        >
          Predict proposals
        </button>
      </div>
      {predicting && job && (
        <p role="status" className="hint">
          Predicting proposals
          {job.prediction
            ? ` ${job.prediction.done}/${job.prediction.total}${job.prediction.item ? ` (${job.prediction.item})` : ''}`
            : '…'}
        </p>
      )}
      {job?.phase === 'failed' && (
        <p role="alert" className="error">
          Prediction failed: {job.error?.message}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {message && (
        <p role="status" className="hint">
          {message}
        </p>
      )}

      {proposals.length > 0 && (
        <table className="proposal-table" aria-label="Proposals">
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col">Uncertainty</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p) => (
              <tr key={p.studyId} className={p.studyId === studyId ? 'current' : undefined}>
                <td>
                  <button
                    type="button"
                    className="study-open"
                    aria-label={`Review ${p.studyId}`}
                    onClick={() => studyLoader.showStudyAt(p.studyId, p.topSlice)}
                  >
                    {p.studyId}
                  </button>
                </td>
                <td className="num">{p.studyScore.toFixed(3)}</td>
                <td>
                  <span className={`decision decision-${p.decision}`}>
                    {DECISION_LABEL[p.decision]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
