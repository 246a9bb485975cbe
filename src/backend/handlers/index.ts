// API handlers (plain Node, no Electron): the one implementation of the contract, one module
// per namespace mirroring src/shared/contract (project, studies, labels, volume, models,
// proposals, training, pacs); "app.*" lives in the workspace (../workspace), which owns which project
// is open. `dispatch` validates params at the boundary and turns failures into {code, message};
// the workspace's `call` is what Electron's IPC and server mode both reach.
import {
  apiParamSchemas,
  isApiMethod,
  type ApiMethod,
  type ApiResponse,
  type ApiResults,
} from '../../shared/contract/api';
import { AppError, toErrorPayload } from '../../core/errors';
import type { ProjectContext } from '../context';
import { createLabelsNamespace } from './labels';
import { createModelsNamespace } from './models';
import { createPacsNamespace } from './pacs';
import { createProjectNamespace } from './project';
import { createProposalsNamespace } from './proposals';
import { createStudiesNamespace } from './studies';
import { createTrainingHandlers } from './training';
import { createVolumeNamespace } from './volume';
import type { z } from 'zod';

type HandlerOf<M extends ApiMethod> = (
  params: z.output<(typeof apiParamSchemas)[M]>,
) => Promise<ApiResults[M]>;

export type AppMethod = Extract<ApiMethod, `app.${string}`>;
export type ProjectMethod = Exclude<ApiMethod, AppMethod>;
export type ProjectHandlers = { [M in ProjectMethod]: HandlerOf<M> };
type Handlers = { [M in ApiMethod]: HandlerOf<M> };

export function createProjectHandlers(ctx: ProjectContext): ProjectHandlers {
  return {
    ...createProjectNamespace(ctx),
    ...createStudiesNamespace(ctx),
    ...createLabelsNamespace(ctx),
    ...createVolumeNamespace(ctx),
    ...createModelsNamespace(ctx),
    ...createProposalsNamespace(ctx),
    ...createTrainingHandlers(ctx),
    ...createPacsNamespace(ctx),
  };
}

/** Finds the handler of a validated method (the workspace routes "app.*" and project calls). */
export type HandlerLookup = (method: ApiMethod) => (params: never) => Promise<unknown>;

/** Validates and runs one call; never throws. */
export async function dispatch(
  handlers: Partial<Handlers> | HandlerLookup,
  method: unknown,
  params: unknown,
): Promise<ApiResponse<ApiMethod>> {
  try {
    if (!isApiMethod(method))
      throw new AppError('BAD_INPUT', `Unknown API method "${String(method)}".`);
    const parsed = apiParamSchemas[method].safeParse(params ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`)
        .join('; ');
      throw new AppError('BAD_INPUT', `Invalid parameters for ${method}: ${issues}`);
    }
    const handler = (typeof handlers === 'function' ? handlers(method) : handlers[method]) as
      ((p: unknown) => Promise<ApiResults[ApiMethod]>) | undefined;
    if (!handler) throw new AppError('NOT_FOUND', `${method} is not available here.`);
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

export type { Handlers };
