// The typed API contract (shared by main, preload, renderer, server mode and tests): every
// method takes one object, is validated at the boundary with zod, and returns a Promise of its
// result or fails with {code, message} from the closed set in ./errors.
import { z } from 'zod';
import { labelClassSchema, type LabelClass, type LabelVersion, type StudySummary } from './project';
import type { ApiErrorPayload } from './errors';
import { binarySchema, volumeParamSchemas, type VolumeApiResults } from './volume';
import { appParamSchemas, type AppApiResults } from './app';
import { trainingParamSchemas, type TrainingApiResults } from './training';
import { reviewParamSchemas, type ReviewApiResults } from './review';

const studyId = z.string().min(1).max(128);

export const apiParamSchemas = {
  /** Project name, label set and study summaries. */
  'project.info': z.object({}),
  /** Replace the label set (names, colours). */
  'project.setLabelClasses': z.object({ labels: z.array(labelClassSchema).min(1) }),
  /** Import NIfTI files, DICOM folders or a Decathlon folder (absolute paths on this machine). */
  'studies.import': z.object({
    paths: z.array(z.string().min(1)).min(1),
    labeled: z.number().int().min(0).optional(),
    replaceNonFinite: z.boolean().optional(),
    /** Rebuild non-finite or degenerate header geometry from the other fields instead of refusing. */
    repairGeometry: z.boolean().optional(),
    /** 4-D NIfTI files: which volume to import (0-based). */
    volumeIndex: z.number().int().min(0).optional(),
  }),
  /** Rebuild an unreadable study's record from its image and label files (the old one is kept). */
  'studies.repair': z.object({ studyId }),
  /** Set a study aside: its folder moves to .removed/ in the project; nothing is deleted. */
  'studies.remove': z.object({ studyId }),
  /** Every label version of one study, oldest first. */
  'labels.list': z.object({ studyId }),
  /** Make an old label version current again (as a new version; history is kept). */
  'labels.restore': z.object({ studyId, versionId: z.string().min(1) }),
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
  }),
  ...volumeParamSchemas,
  ...appParamSchemas,
  ...trainingParamSchemas,
  ...reviewParamSchemas,
} as const;

export type ApiMethod = keyof typeof apiParamSchemas;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParamSchemas)[M]>;

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

export interface ApiResults
  extends VolumeApiResults, AppApiResults, TrainingApiResults, ReviewApiResults {
  'project.info': ProjectInfo;
  'project.setLabelClasses': { labels: LabelClass[] };
  'studies.import': {
    imported: { id: string; labeled: boolean; warnings: string[] }[];
    /** Series passed over while the others were imported, with the reason. */
    skipped: { source: string; reason: string }[];
    warnings: string[];
  };
  'studies.repair': { study: StudySummary; changes: string[] };
  'studies.remove': { movedTo: string };
  'labels.list': { versions: LabelVersion[]; current: string | null };
  'labels.restore': { version: LabelVersion };
  'labels.export': {
    outDir: string;
    files: { studyId: string; labelVersion: string; origin: 'human' | 'accepted'; path: string }[];
    skipped: { studyId: string; reason: string }[];
  };
}

export type ApiResult<M extends ApiMethod> = ApiResults[M];

/** What crosses a transport (IPC or HTTP): a result or a typed error, never a thrown object. */
export type ApiResponse<M extends ApiMethod> =
  { ok: true; result: ApiResult<M> } | { ok: false; error: ApiErrorPayload };

/** The client-side shape every transport implements (window.api in Electron, fetch in server mode). */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
}

/** True when one of the params' fields is voxel data (a binary field, optional or not). */
function takesBinary(schema: z.ZodType): boolean {
  if (!(schema instanceof z.ZodObject)) return false;
  return Object.values(schema.shape as Record<string, z.ZodType>).some(
    (field) =>
      field === binarySchema || (field instanceof z.ZodOptional && field.unwrap() === binarySchema),
  );
}

/** The methods whose params carry voxel data: the only ones a binary frame may call. */
export const BINARY_PARAM_METHODS: ReadonlySet<ApiMethod> = new Set(
  (Object.keys(apiParamSchemas) as ApiMethod[]).filter((m) => takesBinary(apiParamSchemas[m])),
);

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiParamSchemas, name);
}
