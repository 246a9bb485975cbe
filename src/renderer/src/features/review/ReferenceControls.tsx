// A proposal shown as a reference over the person's own label (renderer): what it is, its size,
// showing or hiding its outline, and merging it into the label (only where the label is empty;
// one undo step).
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import { describeSize } from '../studies/proposalText';
import { proposalReview } from './instance';

export function ReferenceControls({
  reference,
  proposal,
  dims,
}: {
  reference: { modelId: string; visible: boolean };
  proposal: ProposalInfo | undefined;
  dims: readonly number[] | undefined;
}) {
  return (
    <div className="reference-controls" role="group" aria-label="Proposal as reference">
      <p className="hint">
        This study has your label in progress, so its proposal is not to review: the proposal of{' '}
        {reference.modelId}
        {proposal ? ` (${describeSize(proposal, dims)})` : ''} is drawn as a cyan outline.
      </p>
      <div className="row">
        <button
          type="button"
          aria-pressed={reference.visible}
          onClick={() => proposalReview.reference.setVisible(!reference.visible)}
        >
          Show proposal outline
        </button>
        <button type="button" onClick={() => proposalReview.reference.merge()}>
          Merge proposal into my label
        </button>
      </div>
    </div>
  );
}
