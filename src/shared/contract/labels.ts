// API contract, labels namespace (shared): a study's label versions — reading and saving the
// mask drawn in the app (binary), listing the history, restoring an old version (as a new one)
// and exporting the finished labels as NIfTI.
import { z } from 'zod';
import { studyIdSchema as studyId, versionIdSchema } from './ids';
import { annotatedSlicesSchema, type LabelVersion, type StudySummary } from './project';
import { binarySchema } from './volume';

export interface LabelVolumeResult {
  studyId: string;
  dims: [number, number, number];
  /** The version read; null when the study has no label yet. */
  versionId: string | null;
  final: boolean;
  /** uint8 label values on the image grid (same voxel order), or null when unlabeled. */
  data: ArrayBuffer | null;
}

export interface SaveLabelResult {
  version: LabelVersion;
  study: StudySummary;
  /** Saved as finished although the paint suggests unlooked-at slices: why to check. */
  warnings: string[];
}

export const labelsParamSchemas = {
  /** Every label version of one study, oldest first. */
  'labels.list': z.object({ studyId }),
  /** Make an old label version current again (as a new version; history is kept). */
  'labels.restore': z.object({ studyId, versionId: versionIdSchema }),
  /**
   * Write current final labels as <outDir>/<study>.nii.gz on each image's geometry, with
   * progress events. `include` picks by origin: drawn or imported by people ("human"), accepted
   * from a model ("accepted"); default both. Drafts (not final) are skipped and reported.
   */
  'labels.export': z.object({
    outDir: z.string().min(1),
    studies: z.array(studyId).optional(),
    include: z
      .object({ human: z.boolean(), accepted: z.boolean() })
      .refine((i) => i.human || i.accepted, 'include at least human or accepted labels')
      .optional(),
    /** Also partial labels, with this value on voxels no annotated slice covers (nnU-Net v2). */
    ignoreLabel: z.number().int().min(1).max(255).optional(),
    /** With ignoreLabel: each partial label's annotated voxels as annotated/<study>.nii.gz. */
    annotatedMasks: z.boolean().optional(),
  }),
  /** The current label (or one version) as uint8 voxels on the image grid. */
  'labels.read': z.object({ studyId, versionId: versionIdSchema.optional() }),
  /**
   * Save a mask drawn in the app as a new label version (provenance "human"). `baseVersion` is
   * the version the edit started from: when another writer saved meanwhile the call fails with
   * CONFLICT instead of silently replacing their work; omit it to save anyway.
   */
  'labels.save': z.object({
    studyId,
    data: binarySchema,
    baseVersion: versionIdSchema.nullable().optional(),
    final: z.boolean().optional(),
    /** Slices annotated so far (painted or marked done), for a version that is not final. */
    annotatedSlices: annotatedSlicesSchema.optional(),
    note: z.string().max(500).optional(),
  }),
} as const;

export interface LabelsApiResults {
  'labels.list': { versions: LabelVersion[]; current: string | null };
  'labels.restore': { version: LabelVersion };
  'labels.export': {
    outDir: string;
    files: {
      studyId: string;
      labelVersion: string;
      origin: 'human' | 'accepted';
      path: string;
      partial?: boolean;
      annotatedPath?: string;
    }[];
    skipped: { studyId: string; reason: string }[];
  };
  'labels.read': LabelVolumeResult;
  'labels.save': SaveLabelResult;
}
