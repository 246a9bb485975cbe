// Following the active model (renderer, pure): what the open study should show of the active
// model's proposals — the proposal to review, a reference over a person's own label, or none —
// compared with what it shows, and what it takes to catch up: nothing, a new reference layer,
// or reopening the study (the labelmap itself changes).
import type { ProposalInfo } from '../../../../shared/contract/proposals';

export interface ShownProposal {
  kind: 'proposal' | 'reference';
  modelId: string;
}

export type FollowAction = 'none' | 'reference' | 'reload';

/** What the active model offers for `studyId`; null: nothing (none, or decided on). */
export function wantedFor(
  studyId: string,
  activeModelId: string | null,
  proposals: readonly Pick<ProposalInfo, 'studyId' | 'modelId' | 'decision' | 'humanLabel'>[],
): ShownProposal | null {
  const proposal = proposals.find((p) => p.studyId === studyId && p.modelId === activeModelId);
  if (!proposal || proposal.decision !== 'pending') return null;
  return { kind: proposal.humanLabel ? 'reference' : 'proposal', modelId: proposal.modelId };
}

export function followAction(
  shown: ShownProposal | null,
  wanted: ShownProposal | null,
): FollowAction {
  if (shown?.kind === wanted?.kind && shown?.modelId === wanted?.modelId) return 'none';
  // Only a proposal under review is the labelmap itself; a reference is a layer over it.
  return shown?.kind === 'proposal' || wanted?.kind === 'proposal' ? 'reload' : 'reference';
}
