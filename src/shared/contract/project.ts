// API contract, project namespace (shared by every process): the records a project folder holds
// and the API returns (zod schemas validate both the files on disk and requests at boundaries),
// and the project.* methods: its name, label set and study summaries.
import { z } from 'zod';
import type { ProposalBrief } from './proposals';

export const PROJECT_SCHEMA_VERSION = 1;

const vec3 = z.tuple([z.number(), z.number(), z.number()]);
/** Row-major 4x4, voxel (i, j, k, 1) -> world RAS+ millimetres. */
const mat4 = z.array(z.number()).length(16);

export const labelClassSchema = z.object({
  /** Voxel value in label masks (1..255; 0 is always background). */
  value: z.number().int().min(1).max(255),
  name: z.string().min(1).max(64),
  /** CSS hex colour, e.g. "#e04040". */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
});
export type LabelClass = z.infer<typeof labelClassSchema>;

export const projectManifestSchema = z.object({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  name: z.string(),
  createdAt: z.string(),
  labels: z.array(labelClassSchema).min(1),
});
export type ProjectManifest = z.infer<typeof projectManifestSchema>;

export const provenanceSchema = z.discriminatedUnion('kind', [
  /** Drawn or edited by a person in the app. */
  z.object({ kind: z.literal('human'), author: z.string().optional() }),
  /** Imported from a file (a mask the user already had). */
  z.object({ kind: z.literal('import'), sourcePath: z.string() }),
  /** Accepted from a model's proposal, possibly edited before accepting. */
  z.object({ kind: z.literal('model'), modelId: z.string(), edited: z.boolean() }),
  /** A copy of an earlier version (undoing a bad save without losing history). */
  z.object({ kind: z.literal('restore'), fromVersion: z.string() }),
]);
export type Provenance = z.infer<typeof provenanceSchema>;

const sliceIndices = z.array(z.number().int().min(0)).max(100_000);

/**
 * Slices a person annotated — painted, or marked done ("no structure here" included) — per
 * voxel axis of the study grid: k is the study's own slice axis (axial for most scans), i and
 * j the other two orientations. Stored with each label version, never inferred later.
 */
export const annotatedSlicesSchema = z.object({
  i: sliceIndices,
  j: sliceIndices,
  k: sliceIndices,
});
export type AnnotatedSlices = z.infer<typeof annotatedSlicesSchema>;

export const labelVersionSchema = z.object({
  /** "v0001", "v0002", … in order of creation; never reused. */
  id: z.string(),
  createdAt: z.string(),
  /** File name inside the study's labels/ folder. */
  file: z.string(),
  provenance: provenanceSchema,
  /** Voxels per label value, e.g. {"1": 5021}; background omitted. */
  voxelCounts: z.record(z.string(), z.number()),
  /**
   * A finished annotation: every slice annotated (the whole mask is ground truth). Otherwise
   * work in progress, used for training only on its annotated slices.
   */
  final: z.boolean(),
  /** Slices annotated so far (absent: none recorded; a final version counts as all). */
  annotatedSlices: annotatedSlicesSchema.optional(),
  note: z.string().optional(),
});
export type LabelVersion = z.infer<typeof labelVersionSchema>;

/**
 * What a label version gives training: "full" (finished: every voxel is ground truth),
 * "partial" (annotated slices only, the rest unknown) or "none".
 */
export type LabelCoverage = 'full' | 'partial' | 'none';

export function labelCoverage(version: LabelVersion | undefined): LabelCoverage {
  if (!version) return 'none';
  if (version.final) return 'full';
  const a = version.annotatedSlices;
  return a && a.i.length + a.j.length + a.k.length > 0 ? 'partial' : 'none';
}

/** The DICOMweb server a retrieved series came from (never with credentials). */
export const dicomwebOriginSchema = z.object({
  /** The registered source's ID (absent: a URL given directly). */
  sourceId: z.string().optional(),
  baseUrl: z.string(),
});
export type DicomwebOriginRecord = z.infer<typeof dicomwebOriginSchema>;

export const studySourceSchema = z.object({
  kind: z.enum(['nifti', 'dicom']),
  /** Absolute path of the file or folder it came from (a retrieved series: its WADO-RS URL). */
  path: z.string(),
  importedAt: z.string(),
  seriesInstanceUid: z.string().optional(),
  studyInstanceUid: z.string().optional(),
  modality: z.string().optional(),
  description: z.string().optional(),
  /** Set when the series was retrieved from a DICOMweb server (where a SEG is stored back). */
  dicomweb: dicomwebOriginSchema.optional(),
});

export const studyRecordSchema = z.object({
  id: z.string(),
  source: studySourceSchema,
  /** Voxel grid [nx, ny, nz] (i fastest). */
  dims: vec3,
  spacingMm: vec3,
  affine: mat4,
  /** NIfTI header geometry of the stored image, verbatim (label files reuse it exactly). */
  geometry: z.object({
    qformCode: z.number(),
    sformCode: z.number(),
    quatern: vec3,
    qoffset: vec3,
    qfac: z.number(),
    pixdim: vec3,
    srow: z.array(z.number()).length(12),
    xyztUnits: z.number(),
  }),
  /** Data type of the stored image, e.g. "int16", "float32". */
  imageType: z.string(),
  /** Id of the current label version, or null when unlabeled. */
  currentLabel: z.string().nullable(),
  labelVersions: z.array(labelVersionSchema),
  /** The last review decision on a model's proposal for this study (absent: never reviewed). */
  review: z
    .object({
      modelId: z.string(),
      decision: z.enum(['accepted', 'rejected']),
      at: z.string(),
      note: z.string().optional(),
    })
    .nullable()
    .optional(),
});
export type StudyRecord = z.infer<typeof studyRecordSchema>;

/**
 * "in-progress": a label not finished, no slice marked annotated; "partial": some slices
 * annotated (training uses them); "proposal": the active model proposed a mask nobody has
 * decided on; "accepted": the finished label came from a model's proposal; "rejected": the
 * active model's proposal was rejected (the study trains as unlabeled); "labeled": a finished
 * label drawn or imported by a person.
 */
export const STUDY_STATUSES = [
  'unlabeled',
  'in-progress',
  'partial',
  'proposal',
  'accepted',
  'rejected',
  'labeled',
] as const;
export type StudyStatus = (typeof STUDY_STATUSES)[number];

export interface StudySummary {
  id: string;
  status: StudyStatus;
  dims: [number, number, number];
  spacingMm: [number, number, number];
  modality?: string;
  sourceKind: 'nifti' | 'dicom';
  currentLabel: string | null;
  labelVersionCount: number;
  /** Foreground voxels of the current label, all classes together. */
  labeledVoxels: number;
  /** The active model's proposal waiting for review (status "proposal"): size and warnings. */
  proposal?: ProposalBrief;
  /** DICOM studies: the source series and study, and the DICOMweb server it came from. */
  seriesInstanceUid?: string;
  studyInstanceUid?: string;
  dicomweb?: DicomwebOriginRecord;
  /** What the current label gives training. */
  coverage: LabelCoverage;
  /** Annotated slices of the current label per axis (all of them when finished). */
  annotatedSlices: { i: number; j: number; k: number };
}

/** The study's current label version (the one `currentLabel` names), if it has one. */
export function currentLabelVersion(study: StudyRecord): LabelVersion | undefined {
  return study.labelVersions.find((v) => v.id === study.currentLabel);
}

/** A finished label: what training uses as labeled and what proposals are never made for. */
export function hasFinalLabel(study: StudyRecord): boolean {
  return currentLabelVersion(study)?.final === true;
}

/** `hasProposal`: the active model has an unreviewed proposal for this study. */
export function studyStatus(study: StudyRecord, hasProposal = false): StudyStatus {
  const current = currentLabelVersion(study);
  if (current?.final) return current.provenance.kind === 'model' ? 'accepted' : 'labeled';
  if (current) return labelCoverage(current) === 'partial' ? 'partial' : 'in-progress';
  if (study.review?.decision === 'rejected') return 'rejected';
  return hasProposal ? 'proposal' : 'unlabeled';
}

export function summarizeStudy(study: StudyRecord, hasProposal = false): StudySummary {
  const current = currentLabelVersion(study);
  return {
    id: study.id,
    status: studyStatus(study, hasProposal),
    dims: study.dims,
    spacingMm: study.spacingMm,
    modality: study.source.modality,
    sourceKind: study.source.kind,
    ...(study.source.seriesInstanceUid
      ? { seriesInstanceUid: study.source.seriesInstanceUid }
      : {}),
    ...(study.source.studyInstanceUid ? { studyInstanceUid: study.source.studyInstanceUid } : {}),
    ...(study.source.dicomweb ? { dicomweb: study.source.dicomweb } : {}),
    currentLabel: study.currentLabel,
    labelVersionCount: study.labelVersions.length,
    labeledVoxels: current ? Object.values(current.voxelCounts).reduce((a, b) => a + b, 0) : 0,
    coverage: labelCoverage(current),
    annotatedSlices: current?.final
      ? { i: study.dims[0], j: study.dims[1], k: study.dims[2] }
      : {
          i: current?.annotatedSlices?.i.length ?? 0,
          j: current?.annotatedSlices?.j.length ?? 0,
          k: current?.annotatedSlices?.k.length ?? 0,
        },
  };
}

export const DEFAULT_LABELS: LabelClass[] = [{ value: 1, name: 'target', color: '#e0533d' }];

/** A study folder whose record cannot be read; the other studies are listed as usual. */
export interface StudyProblem {
  studyId: string;
  path: string;
  reason: string;
}

export interface ProjectInfo {
  name: string;
  root: string;
  labels: LabelClass[];
  studies: StudySummary[];
  problems: StudyProblem[];
}

export const projectParamSchemas = {
  /** Project name, label set and study summaries. */
  'project.info': z.object({}),
  /** Replace the label set (names, colours). */
  'project.setLabelClasses': z.object({ labels: z.array(labelClassSchema).min(1) }),
} as const;

export interface ProjectApiResults {
  'project.info': ProjectInfo;
  'project.setLabelClasses': { labels: LabelClass[] };
}
