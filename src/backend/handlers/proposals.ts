// proposals.* handlers (plain Node): predicting proposals as a job, the proposals of a model
// with their facts, warnings and the user's decisions, their voxels for the viewer, drafts of
// the user's edits, and accept / reject / undo. Every decision is announced with reviewChanged
// (and labelSaved when accepting wrote a label version).
import {
  acceptProposal,
  activeModelId,
  discardProposalDraft,
  listProposalsForReview,
  proposalBrief,
  proposalDraftInfo,
  readProposal,
  readProposalDraft,
  rejectProposal,
  resolveModelId,
  saveProposalDraft,
  uncertaintyToBytes,
  undoRejectProposal,
} from '../../core/project';
import { proposalsParamSchemas, type ProposalsApiResults } from '../../shared/contract/proposals';
import type { ProjectContext } from '../context';
import { predictProposals } from '../predictionJob';
import type { NamespaceHandlers } from './types';

/** A standalone buffer holding exactly these bytes (never a view into a larger one). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

export function createProposalsNamespace(
  ctx: ProjectContext,
): NamespaceHandlers<typeof proposalsParamSchemas, ProposalsApiResults> {
  const { store } = ctx;
  const changed = (modelId: string | null) => ctx.emit?.('reviewChanged', { modelId });
  return {
    'proposals.predict': async ({ modelId, studies }) => {
      // Fail here, not inside the job, for what the caller can fix at once.
      const resolved = await resolveModelId(store, modelId);
      for (const id of studies ?? []) await store.getStudy(id);
      const job = ctx.jobs.start('prediction', { modelId: resolved }, async (control) => {
        const result = await predictProposals(ctx, control, { modelId: resolved, studies });
        return { modelId: result.modelId };
      });
      return { job };
    },

    'proposals.list': async ({ modelId }) => {
      const resolved = modelId ?? (await activeModelId(store));
      if (!resolved) return { modelId: null, validationDice: null, proposals: [] };
      await resolveModelId(store, resolved);
      const listed = await listProposalsForReview(store, resolved);
      const proposals = listed.proposals.map((p) => ({
        ...proposalBrief(p),
        studyId: p.studyId,
        createdAt: p.createdAt,
        studyScore: p.studyScore,
        topSlice: p.topSlice,
        facts: p.facts,
        decision: p.decision,
        humanLabel: p.humanLabel,
        draftSavedAt: p.draft?.savedAt ?? null,
      }));
      return { modelId: resolved, validationDice: listed.validationDice, proposals };
    },

    'proposals.read': async ({ studyId, modelId, kind }) => {
      const resolved = await resolveModelId(store, modelId);
      const volume = await readProposal(store, studyId, resolved, kind);
      const bytes =
        kind === 'uncertainty'
          ? uncertaintyToBytes(volume.data)
          : volume.data instanceof Uint8Array
            ? volume.data
            : Uint8Array.from(volume.data);
      return { studyId, modelId: resolved, kind, dims: volume.dims, data: ownBuffer(bytes) };
    },

    'proposals.accept': async ({ studyId, modelId, data, baseVersion }) => {
      const result = await acceptProposal(store, {
        studyId,
        modelId,
        ...(data ? { data: new Uint8Array(data) } : {}),
        ...(baseVersion !== undefined ? { baseVersion } : {}),
      });
      ctx.emit?.('labelSaved', { studyId, versionId: result.version.id });
      changed(modelId);
      return result;
    },

    'proposals.reject': async ({ studyId, modelId, note }) => {
      const study = await rejectProposal(store, { studyId, modelId, note });
      changed(modelId);
      return { study };
    },

    'proposals.undoReject': async ({ studyId, modelId }) => {
      const study = await undoRejectProposal(store, { studyId, modelId });
      changed(modelId);
      return { study };
    },

    'proposals.saveDraft': async ({ studyId, modelId, data }) => {
      await resolveModelId(store, modelId);
      const draft = await saveProposalDraft(store, {
        studyId,
        modelId,
        data: new Uint8Array(data),
      });
      return { savedAt: draft.savedAt };
    },

    'proposals.readDraft': async ({ studyId, modelId }) => {
      const info = await proposalDraftInfo(store, studyId, modelId);
      const data = info && (await readProposalDraft(store, studyId, modelId));
      return info && data
        ? { savedAt: info.savedAt, data: ownBuffer(data) }
        : { savedAt: null, data: null };
    },

    'proposals.discardDraft': async ({ studyId, modelId }) => ({
      discarded: await discardProposalDraft(store, studyId, modelId),
    }),
  };
}
