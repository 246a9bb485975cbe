// The typed API contract (shared by main, preload, renderer, server mode and tests): every
// method takes one object, is validated at the boundary with zod, and returns a Promise of its
// result or fails with {code, message} from the closed set in ./errors.
import { z } from 'zod';
import { labelClassSchema, type LabelClass, type LabelVersion, type StudySummary } from './project';
import type { ApiErrorPayload } from './errors';
import { volumeParamSchemas, type VolumeApiResults } from './volume';

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
  }),
  /** Every label version of one study, oldest first. */
  'labels.list': z.object({ studyId }),
  /** Make an old label version current again (as a new version; history is kept). */
  'labels.restore': z.object({ studyId, versionId: z.string().min(1) }),
  /** Write current labels as <outDir>/<study>.nii.gz on each image's geometry. */
  'labels.export': z.object({ outDir: z.string().min(1), studies: z.array(studyId).optional() }),
  ...volumeParamSchemas,
} as const;

export type ApiMethod = keyof typeof apiParamSchemas;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParamSchemas)[M]>;

export interface ProjectInfo {
  name: string;
  root: string;
  labels: LabelClass[];
  studies: StudySummary[];
}

export interface ApiResults extends VolumeApiResults {
  'project.info': ProjectInfo;
  'project.setLabelClasses': { labels: LabelClass[] };
  'studies.import': { imported: { id: string; labeled: boolean; warnings: string[] }[] };
  'labels.list': { versions: LabelVersion[]; current: string | null };
  'labels.restore': { version: LabelVersion };
  'labels.export': { files: { studyId: string; labelVersion: string; path: string }[] };
}

export type ApiResult<M extends ApiMethod> = ApiResults[M];

/** What crosses a transport (IPC or HTTP): a result or a typed error, never a thrown object. */
export type ApiResponse<M extends ApiMethod> =
  { ok: true; result: ApiResult<M> } | { ok: false; error: ApiErrorPayload };

/** The client-side shape every transport implements (window.api in Electron, fetch in server mode). */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiParamSchemas, name);
}
