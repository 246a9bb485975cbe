// The facts of a proposal where the user decides (renderer): its size (voxels, share of the
// volume, mL), per class the voxels, mL and connected components, the model's validation Dice
// or "not validated", and every warning the back end raised about it.
import type { LabelClass } from '../../../../shared/contract/project';
import type { ProposalInfo } from '../../../../shared/contract/proposals';
import { describeClass, describeSize, describeValidation } from '../studies/proposalText';

export function ProposalFactsView({
  proposal,
  dims,
  labels,
  validationDice,
}: {
  proposal: ProposalInfo;
  dims: readonly number[] | undefined;
  labels: readonly LabelClass[];
  validationDice: number | null;
}) {
  const { facts, flags } = proposal;
  return (
    <div className="proposal-facts" aria-label={`Facts of the proposal for ${proposal.studyId}`}>
      <p className="proposal-size">
        <strong>Size:</strong> {describeSize(proposal, dims)}
      </p>
      {facts.classes.length > 0 && (
        <ul className="proposal-classes" aria-label="Per class">
          {facts.classes.map((c) => (
            <li key={c.value}>{describeClass(c, labels)}</li>
          ))}
        </ul>
      )}
      <p className="hint">
        {proposal.modelId}: {describeValidation(validationDice)}
        {facts.sliceExtent
          ? ` · slices ${facts.sliceExtent[0]}–${facts.sliceExtent[1]} of 0–${facts.slices - 1}`
          : ''}
      </p>
      {flags.length > 0 && (
        <ul className="proposal-flags" role="alert" aria-label="Warnings">
          {flags.map((f) => (
            <li key={`${f.kind}-${f.value ?? ''}`}>⚠ {f.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
