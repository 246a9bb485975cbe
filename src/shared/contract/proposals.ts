// API contract, proposals namespace (shared): the masks a model version proposed for studies
// without a final label — predicting them as a job, listing and reading them, and the user's
// decision: accept (a label version whose provenance names the model) or reject.
import { z } from 'zod';
import { modelIdSchema as modelId, studyIdSchema as studyId, versionIdSchema } from './ids';
import type { LabelVersion, StudySummary } from './project';
import type { JobState } from './training';
import { binarySchema } from './volume';

/** Size and shape of a proposed mask (computed when it is predicted). */
export interface ClassFacts {
  /** Label value (1…255). */
  value: number;
  voxels: number;
  volumeMl: number;
  components: number;
}

export interface ProposalFacts {
  /** Every label value present, ascending. */
  classes: ClassFacts[];
  foregroundVoxels: number;
  volumeMl: number;
  /** First and last axial slice (k) holding foreground; null for an empty mask. */
  sliceExtent: [number, number] | null;
  /** Axial slices whose foreground touches the volume's in-plane border (i or j at an edge). */
  borderSlices: number;
  /** Axial slices of the volume. */
  slices: number;
}

export const PROPOSAL_FLAG_KINDS = [
  'empty',
  'larger-than-labels',
  'smaller-than-labels',
  'touches-border',
] as const;
export type ProposalFlagKind = (typeof PROPOSAL_FLAG_KINDS)[number];

export interface ProposalFlag {
  kind: ProposalFlagKind;
  /** Label value the flag is about (absent: the whole mask). */
  value?: number;
  message: string;
}

/** What the study table and the ranking show of a proposal: its size and warnings. */
export interface ProposalBrief {
  modelId: string;
  foregroundVoxels: number;
  volumeMl: number;
  classes: ClassFacts[];
  flags: ProposalFlag[];
}

export interface ProposalInfo extends ProposalBrief {
  studyId: string;
  createdAt: string;
  /** Mean voxel uncertainty in [0, 1]. */
  studyScore: number;
  /** Where to look first: the most uncertain axial slice (k) inside the mask's extent. */
  topSlice: number;
  facts: ProposalFacts;
  /** What the user decided about this proposal, if anything yet. */
  decision: 'pending' | 'accepted' | 'rejected';
  /**
   * The study's current label when a person has started one: the study is theirs (not "to
   * review"), and the proposal is a reference layer they may merge.
   */
  humanLabel: string | null;
  /** When unaccepted edits of this proposal were last saved; null: none. */
  draftSavedAt: string | null;
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
  /** Record that a proposal is wrong; the study keeps its labels (and stays unlabeled). */
  'proposals.reject': z.object({ studyId, modelId, note: z.string().max(500).optional() }),
  /** Take back the rejection of a proposal: it is pending again. */
  'proposals.undoReject': z.object({ studyId, modelId }),
  /** Save the user's unaccepted edits of a proposal (not a label version), as they paint. */
  'proposals.saveDraft': z.object({ studyId, modelId, data: binarySchema }),
  /** The saved edits of a proposal, if any. */
  'proposals.readDraft': z.object({ studyId, modelId }),
  /** Throw the saved edits of a proposal away. */
  'proposals.discardDraft': z.object({ studyId, modelId }),
} as const;

export interface ProposalsApiResults {
  'proposals.predict': { job: JobState };
  'proposals.list': {
    modelId: string | null;
    /** The model's Dice on its validation studies; null: not validated. */
    validationDice: number | null;
    proposals: ProposalInfo[];
  };
  'proposals.read': ProposalVolume;
  'proposals.accept': { version: LabelVersion; study: StudySummary };
  'proposals.reject': { study: StudySummary };
  'proposals.undoReject': { study: StudySummary };
  'proposals.saveDraft': { savedAt: string };
  /** `data`: uint8 voxels on the image grid; null when there is no draft. */
  'proposals.readDraft': { savedAt: string; data: ArrayBuffer } | { savedAt: null; data: null };
  'proposals.discardDraft': { discarded: boolean };
}
