// The typed API contract (shared by main, preload, renderer, server mode and tests): every
// method takes one object, is validated at the boundary with zod, and returns a Promise of its
// result or fails with {code, message} from the closed set in ./errors. This file only gathers
// the namespaces, one file each (app, project, studies, labels, volume, models, proposals,
// training, pacs), and derives what holds for all of them.
import { z } from 'zod';
import { appParamSchemas, type AppApiResults } from './app';
import type { ApiErrorPayload } from './errors';
import { labelsParamSchemas, type LabelsApiResults } from './labels';
import { modelsParamSchemas, type ModelsApiResults } from './models';
import { pacsParamSchemas, type PacsApiResults } from './pacs';
import { projectParamSchemas, type ProjectApiResults } from './project';
import { proposalsParamSchemas, type ProposalsApiResults } from './proposals';
import { studiesParamSchemas, type StudiesApiResults } from './studies';
import { trainingParamSchemas, type TrainingApiResults } from './training';
import { binarySchema, volumeParamSchemas, type VolumeApiResults } from './volume';

export type { ProjectInfo, StudyProblem } from './project';

export const apiParamSchemas = {
  ...appParamSchemas,
  ...projectParamSchemas,
  ...studiesParamSchemas,
  ...labelsParamSchemas,
  ...volumeParamSchemas,
  ...modelsParamSchemas,
  ...proposalsParamSchemas,
  ...trainingParamSchemas,
  ...pacsParamSchemas,
} as const;

export type ApiMethod = keyof typeof apiParamSchemas;
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiParamSchemas)[M]>;

export interface ApiResults
  extends
    AppApiResults,
    ProjectApiResults,
    StudiesApiResults,
    LabelsApiResults,
    VolumeApiResults,
    ModelsApiResults,
    ProposalsApiResults,
    TrainingApiResults,
    PacsApiResults {}

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
