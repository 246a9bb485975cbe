// Review panel (renderer): the active model and its validation, how far the review is, and for
// the study in view its proposal's facts and warnings with Accept / Reject / Discard edits — or,
// for a study the person is labeling, the proposal as a reference to merge — the uncertainty
// overlay with its legend, the undo of the last rejection, "Next study" (the best-ranked study
// still to review that was not just skipped, at its most uncertain slice inside the mask),
// predicting proposals on demand, and the table of the active model's proposals.
import { useEffect } from 'react';
import { useCommand } from '../../commands/useCommand';
import { useEditStore } from '../editor/store';
import { describeValidation } from '../studies/proposalText';
import { describeCounts, reviewCounts } from '../studies/statusCounts';
import { useStudiesStore } from '../studies/store';
import { ProposalFactsView } from './ProposalFactsView';
import { ProposalTable } from './ProposalTable';
import { ReferenceControls } from './ReferenceControls';
import { ReviewActions } from './ReviewActions';
import { useReviewStore } from './store';
import { UncertaintyControl } from './UncertaintyControl';

export function ReviewPanel() {
  const project = useStudiesStore((s) => s.project);
  const activeModelId = useReviewStore((s) => s.activeModelId);
  const validationDice = useReviewStore((s) => s.validationDice);
  const proposals = useReviewStore((s) => s.proposals);
  const job = useReviewStore((s) => s.job);
  const busy = useReviewStore((s) => s.busy);
  const error = useReviewStore((s) => s.error);
  const message = useReviewStore((s) => s.message);
  const undoable = useReviewStore((s) => s.undoable);
  const studyId = useEditStore((s) => s.studyId);
  const review = useEditStore((s) => s.review);
  const reference = useEditStore((s) => s.reference);
  const loading = useEditStore((s) => s.loading);
  const uncertainty = useEditStore((s) => s.uncertainty);
  const nextStudy = useCommand('review.nextStudy');
  useEffect(() => useReviewStore.getState().connect(), []);
  if (!project) return null;

  const counts = reviewCounts(project.studies);
  const decided = proposals.filter((p) => p.decision !== 'pending');
  const accepted = decided.filter((p) => p.decision === 'accepted').length;
  const shownModel = review?.modelId ?? reference?.modelId;
  // Facts only of the proposal on screen: never another model's beside it.
  const inView = proposals.find((p) => p.studyId === studyId && p.modelId === shownModel);
  const dims = project.studies.find((s) => s.id === studyId)?.dims;
  const predicting = job !== null && (job.phase === 'starting' || job.phase === 'predicting');
  // An empty final label would make training refuse the project; the back end refuses it too.
  const emptyAsProposed = !!review && !review.edited && inView?.foregroundVoxels === 0;

  return (
    <section className="panel review-panel" aria-labelledby="review-title">
      <h2 id="review-title">Review</h2>
      <p className="hint">
        {activeModelId
          ? `Proposals of ${activeModelId} (${describeValidation(validationDice)})`
          : 'No model yet: train one and its proposals appear here.'}
      </p>
      {proposals.length > 0 && (
        <label className="review-progress">
          Decided {decided.length} of {proposals.length} ({accepted} accepted,{' '}
          {decided.length - accepted} rejected)
          <progress max={proposals.length} value={decided.length} />
        </label>
      )}
      <p className="review-counts">{describeCounts(counts)}</p>

      {studyId && !loading && inView && (
        <ProposalFactsView
          proposal={inView}
          dims={dims}
          labels={project.labels}
          validationDice={validationDice}
        />
      )}
      {review && studyId && !loading && (
        <ReviewActions
          studyId={studyId}
          review={review}
          activeModelId={activeModelId}
          emptyAsProposed={emptyAsProposed}
        />
      )}
      {reference && !review && !loading && (
        <ReferenceControls reference={reference} proposal={inView} dims={dims} />
      )}
      {(review || reference) && !loading && <UncertaintyControl state={uncertainty} />}

      {undoable && (
        <p role="status" className="hint undo-line">
          Rejected the proposal of {undoable.modelId} for {undoable.studyId}.{' '}
          <button
            type="button"
            disabled={busy !== null}
            aria-label={`Undo the rejection of ${undoable.studyId}`}
            onClick={() => void useReviewStore.getState().undoReject()}
          >
            Undo
          </button>
        </p>
      )}

      <div className="row">
        <button
          type="button"
          title={nextStudy.title}
          disabled={!nextStudy.enabled || busy !== null}
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

      {proposals.length > 0 && <ProposalTable proposals={proposals} openStudyId={studyId} />}
    </section>
  );
}
