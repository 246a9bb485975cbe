// Proposal banner (renderer): tells the user that the mask in view is a model's proposal, not
// a label — edits stay unsaved until they accept it — and which model made it.
import { useEditStore } from '../editor/store';

export function ProposalBanner() {
  const review = useEditStore((s) => s.review);
  const loading = useEditStore((s) => s.loading);
  if (!review || loading) return null;
  return (
    <p className="proposal-banner" role="status" aria-label="Proposal under review">
      <strong>Proposal from {review.modelId}</strong> — edit if needed, then Accept or Reject
      {review.edited ? ' (edited; kept as a draft until you accept or discard it)' : ''}.
    </p>
  );
}
