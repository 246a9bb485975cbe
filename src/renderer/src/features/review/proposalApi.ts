// Proposal calls (renderer, API only): reading a model's proposal and uncertainty for a study,
// the draft of the user's edits, and sending the decision — accept always sends the voxels on
// screen with the model id of the proposal shown, so what is saved is what the user saw.
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

/** The proposal's labels: of `modelId`, or of the active model when absent. */
export async function fetchProposalLabels(
  api: Api,
  studyId: string,
  modelId?: string,
): Promise<{ modelId: string; data: Uint8Array }> {
  const result = await api.call('proposals.read', {
    studyId,
    kind: 'label',
    ...(modelId ? { modelId } : {}),
  });
  return { modelId: result.modelId, data: new Uint8Array(result.data) };
}

/** The uncertainty (×255, file order) of a model's proposal for a study. */
export async function fetchUncertainty(
  api: Api,
  studyId: string,
  modelId?: string,
): Promise<Uint8Array> {
  const result = await api.call('proposals.read', {
    studyId,
    kind: 'uncertainty',
    ...(modelId ? { modelId } : {}),
  });
  return new Uint8Array(result.data);
}

/** The saved edits of a proposal, or null. */
export async function fetchDraft(
  api: Api,
  studyId: string,
  modelId: string,
): Promise<{ savedAt: string; data: Uint8Array } | null> {
  const draft = await api.call('proposals.readDraft', { studyId, modelId });
  return draft.data ? { savedAt: draft.savedAt, data: new Uint8Array(draft.data) } : null;
}

export async function sendDraft(
  api: Api,
  studyId: string,
  modelId: string,
  labels: Uint8Array,
): Promise<string> {
  const data = labels.slice().buffer;
  return (await api.call('proposals.saveDraft', { studyId, modelId, data })).savedAt;
}

export async function sendDiscardDraft(api: Api, studyId: string, modelId: string): Promise<void> {
  await api.call('proposals.discardDraft', { studyId, modelId });
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
  return api.call('proposals.accept', {
    studyId,
    modelId: proposal.modelId,
    baseVersion: proposal.baseVersion,
    data: current.slice().buffer,
  });
}

export async function sendReject(
  api: Api,
  studyId: string,
  modelId: string,
): Promise<StudySummary> {
  return (await api.call('proposals.reject', { studyId, modelId })).study;
}

export async function sendUndoReject(
  api: Api,
  studyId: string,
  modelId: string,
): Promise<StudySummary> {
  return (await api.call('proposals.undoReject', { studyId, modelId })).study;
}
