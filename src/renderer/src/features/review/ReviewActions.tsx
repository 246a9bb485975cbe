// Accept / Reject / Discard edits for the proposal in view (renderer): Accept saves what is on
// screen; Reject asks once, inline (the R key asks the same), and can be undone afterwards;
// Discard edits goes back to the proposal as predicted. Disabled while the proposal shown is
// not the active model's (the study is being brought up to date).
import { useCommand } from '../../commands/useCommand';
import type { ProposalReviewState } from '../editor/store';
import { useReviewStore } from './store';

export function ReviewActions({
  studyId,
  review,
  activeModelId,
  emptyAsProposed,
}: {
  studyId: string;
  review: ProposalReviewState;
  activeModelId: string | null;
  emptyAsProposed: boolean;
}) {
  const busy = useReviewStore((s) => s.busy);
  const confirming = useReviewStore((s) => s.confirmingReject);
  const accept = useCommand('review.accept');
  const reject = useCommand('review.reject');
  const stale = activeModelId !== null && review.modelId !== activeModelId;
  const blocked = busy !== null || review.busy || stale;
  const store = useReviewStore.getState;

  return (
    <div className="review-actions" role="group" aria-label={`Proposal for ${studyId}`}>
      <div className="row">
        <button
          type="button"
          className="accept"
          title={accept.title}
          disabled={blocked || emptyAsProposed}
          onClick={() => accept.run()}
        >
          {accept.label}
        </button>
        <button
          type="button"
          className="reject"
          title={reject.title}
          disabled={blocked || confirming}
          onClick={() => reject.run()}
        >
          {reject.label}
        </button>
        {review.edited && (
          <button type="button" disabled={blocked} onClick={() => void store().discardEdits()}>
            Discard edits
          </button>
        )}
        <span className="hint">
          {stale
            ? `updating to ${activeModelId}'s proposal…`
            : review.edited
              ? 'edited'
              : emptyAsProposed
                ? 'empty proposal: draw the structure to accept it, or reject it'
                : 'as proposed'}
        </span>
      </div>
      {confirming && (
        <div
          className="reject-confirm"
          role="alertdialog"
          aria-label="Confirm rejection"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            store().cancelReject();
          }}
        >
          <p>
            Reject the proposal of {review.modelId} for {studyId}? The study goes back to unlabeled
            for training; you can undo this.
          </p>
          <div className="row">
            <button
              type="button"
              className="reject"
              autoFocus
              disabled={blocked}
              onClick={() => void store().reject()}
            >
              Reject proposal
            </button>
            <button type="button" onClick={() => store().cancelReject()}>
              Keep reviewing
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
