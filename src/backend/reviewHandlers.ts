// API handlers for review and active learning (plain Node): model versions and the active one,
// predicting proposals as a job, proposal volumes for the viewer, accept / reject, and the
// ranking behind "Next study". Every change is announced with reviewChanged (and labelSaved
// when accepting wrote a label version).
import { rankProject } from '../core/active/candidates';
import {
  acceptProposal,
  activeModelId,
  listModels,
  listProposals,
  listProposalsForReview,
  readModelHistory,
  readProposal,
  rejectProposal,
  resolveModelId,
  setActiveModel,
  uncertaintyToBytes,
} from '../core/project';
import type { ReviewApiResults, reviewParamSchemas } from '../shared/contract/review';
import type { ProjectContext } from './context';
import { predictProposals } from './predictionJob';
import type { z } from 'zod';

type ReviewHandlers = {
  [M in keyof ReviewApiResults]: (
    params: z.output<(typeof reviewParamSchemas)[M]>,
  ) => Promise<ReviewApiResults[M]>;
};

/** A standalone buffer holding exactly these bytes (never a view into a larger one). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

export function createReviewHandlers(ctx: ProjectContext): ReviewHandlers {
  const { store } = ctx;
  const changed = (modelId: string | null) => ctx.emit?.('reviewChanged', { modelId });

  return {
    'models.list': async () => {
      const active = await activeModelId(store);
      const models = [];
      for (const record of await listModels(store)) {
        const proposals = (await listProposals(store, record.id)).length;
        models.push({ ...record, active: record.id === active, proposals });
      }
      return { models, activeModelId: active };
    },

    'models.setActive': async ({ modelId }) => {
      const activeModelId = await setActiveModel(store, modelId);
      changed(activeModelId);
      return { activeModelId };
    },

    'models.history': async ({ modelId }) => readModelHistory(store, modelId),

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
      if (!resolved) return { modelId: null, proposals: [] };
      await resolveModelId(store, resolved);
      const proposals = (await listProposalsForReview(store, resolved)).map((p) => ({
        studyId: p.studyId,
        modelId: p.modelId,
        createdAt: p.createdAt,
        studyScore: p.studyScore,
        topSlice: p.topSlice,
        foregroundVoxels: p.foregroundVoxels,
        decision: p.decision,
      }));
      return { modelId: resolved, proposals };
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

    'studies.rank': async ({ strategy = 'uncertainty', seed = 1 }) => {
      const active = await activeModelId(store);
      if (!active) return { modelId: null, strategy, studies: [] };
      const { modelId, ranked } = await rankProject(store, { modelId: active, strategy, seed });
      return { modelId, strategy, studies: ranked };
    },
  };
}
