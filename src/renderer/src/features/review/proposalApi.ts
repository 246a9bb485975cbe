// Proposal calls (renderer, API only): reading the active model's proposal and uncertainty for
// a study, and sending the accept / reject decision — the user's edited mask only when it
// really differs from what the model proposed.
import type { ApiClient } from '../../../../shared/contract/api';
import type { LabelVersion, StudySummary } from '../../../../shared/contract/project';

type Api = Pick<ApiClient, 'call'>;

export interface LoadedProposal {
  modelId: string;
  /** uint8 labels in file order, exactly as the model proposed them. */
  original: Uint8Array;
  /** The study's label version when the review started (null: unlabeled). */
  baseVersion: string | null;
}

export async function fetchProposalLabels(
  api: Api,
  studyId: string,
): Promise<{ modelId: string; data: Uint8Array }> {
  const result = await api.call('proposals.read', { studyId, kind: 'label' });
  return { modelId: result.modelId, data: new Uint8Array(result.data) };
}

/** The active model's uncertainty (×255, file order) for a study. */
export async function fetchUncertainty(api: Api, studyId: string): Promise<Uint8Array> {
  const result = await api.call('proposals.read', { studyId, kind: 'uncertainty' });
  return new Uint8Array(result.data);
}

export function sameLabels(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false;
  return true;
}

export async function sendAccept(
  api: Api,
  studyId: string,
  proposal: LoadedProposal,
  current: Uint8Array,
): Promise<{ version: LabelVersion; study: StudySummary }> {
  const edited = !sameLabels(current, proposal.original);
  return api.call('proposals.accept', {
    studyId,
    modelId: proposal.modelId,
    baseVersion: proposal.baseVersion,
    ...(edited ? { data: current.slice().buffer } : {}),
  });
}

export async function sendReject(
  api: Api,
  studyId: string,
  proposal: LoadedProposal,
): Promise<StudySummary> {
  return (await api.call('proposals.reject', { studyId, modelId: proposal.modelId })).study;
}
