// API contract, review domain (shared): model versions (list, choose the active one, roll back),
// the proposals a model made for studies without a final label, accepting (as a label version
// whose provenance names the model) or rejecting them, and which study to review next.
import { z } from 'zod';
import { binarySchema } from './volume';
import type { ModelRecord } from './models';
import type { LabelVersion, StudySummary } from './project';
import type { JobState } from './training';

const studyId = z.string().min(1).max(128);
const modelId = z.string().regex(/^m\d{4,}$/, 'a model ID such as "m0001"');

export const RANK_STRATEGY_CHOICES = ['uncertainty', 'diverse', 'random'] as const;

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

export interface ModelListEntry extends ModelRecord {
  active: boolean;
  proposals: number;
}

export interface ProposalVolume {
  studyId: string;
  modelId: string;
  kind: 'label' | 'uncertainty';
  dims: [number, number, number];
  /** uint8 on the image grid, i fastest: label values, or uncertainty ×255. */
  data: ArrayBuffer;
}

export const reviewParamSchemas = {
  /** Every model version, newest last, with which one is active. */
  'models.list': z.object({}),
  /** Make a model version the active one (proposals, ranking and "next study" use it). */
  'models.setActive': z.object({ modelId }),
  /** Loss rows (training LOSS_COLUMNS) and validation points recorded while it trained. */
  'models.history': z.object({ modelId }),
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
    baseVersion: z.string().min(1).nullable().optional(),
  }),
  /** Record that a proposal is wrong; the study keeps its labels and is marked reviewed. */
  'proposals.reject': z.object({ studyId, modelId, note: z.string().max(500).optional() }),
  /** Studies not yet labeled or reviewed, best to review first. */
  'studies.rank': z.object({
    strategy: z.enum(RANK_STRATEGY_CHOICES).optional(),
    seed: z.number().int().min(0).optional(),
  }),
} as const;

export interface ReviewApiResults {
  'models.list': { models: ModelListEntry[]; activeModelId: string | null };
  'models.setActive': { activeModelId: string };
  'models.history': { losses: number[][]; validation: { iteration: number; dice: number }[] };
  'proposals.predict': { job: JobState };
  'proposals.list': { modelId: string | null; proposals: ProposalInfo[] };
  'proposals.read': ProposalVolume;
  'proposals.accept': { version: LabelVersion; study: StudySummary };
  'proposals.reject': { study: StudySummary };
  'studies.rank': {
    modelId: string | null;
    strategy: (typeof RANK_STRATEGY_CHOICES)[number];
    studies: { rank: number; studyId: string; score: number; slice: number }[];
  };
}
