// API contract, proposals namespace (shared): the masks a model version proposed for studies
// without a final label — predicting them as a job, listing and reading them, and the user's
// decision: accept (a label version whose provenance names the model) or reject.
import { z } from 'zod';
import { modelIdSchema as modelId, studyIdSchema as studyId, versionIdSchema } from './ids';
import type { LabelVersion, StudySummary } from './project';
import type { JobState } from './training';
import { binarySchema } from './volume';

export interface ProposalInfo {
  studyId: string;
  modelId: string;
  createdAt: string;
  /** Mean voxel uncertainty in [0, 1]. */
  studyScore: number;
  /** Axial slice (k) with the highest uncertainty: where to look first. */
  topSlice: number;
  foregroundVoxels: number;
  /** What the user decided about this proposal, if anything yet. */
  decision: 'pending' | 'accepted' | 'rejected';
}

export interface ProposalVolume {
  studyId: string;
  modelId: string;
  kind: 'label' | 'uncertainty';
  dims: [number, number, number];
  /** uint8 on the image grid, i fastest: label values, or uncertainty ×255. */
  data: ArrayBuffer;
}

export const proposalsParamSchemas = {
  /** Predict proposals with a model (default: the active one) as a job with progress. */
  'proposals.predict': z.object({
    modelId: modelId.optional(),
    studies: z.array(studyId).min(1).optional(),
  }),
  /** Proposals of a model (default: the active one). */
  'proposals.list': z.object({ modelId: modelId.optional() }),
  /** A proposal's label map or uncertainty map as voxels on the image grid. */
  'proposals.read': z.object({
    studyId,
    modelId: modelId.optional(),
    kind: z.enum(['label', 'uncertainty']),
  }),
  /**
   * Accept a proposal as the study's new final label version (provenance: the model). With
   * `data` the user's edited mask is saved instead of the proposal as predicted (edited: true).
   */
  'proposals.accept': z.object({
    studyId,
    modelId,
    data: binarySchema.optional(),
    baseVersion: versionIdSchema.nullable().optional(),
  }),
  /** Record that a proposal is wrong; the study keeps its labels and is marked reviewed. */
  'proposals.reject': z.object({ studyId, modelId, note: z.string().max(500).optional() }),
} as const;

export interface ProposalsApiResults {
  'proposals.predict': { job: JobState };
  'proposals.list': { modelId: string | null; proposals: ProposalInfo[] };
  'proposals.read': ProposalVolume;
  'proposals.accept': { version: LabelVersion; study: StudySummary };
  'proposals.reject': { study: StudySummary };
}
