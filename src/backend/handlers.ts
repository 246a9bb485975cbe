// API handlers (plain Node, no Electron): the one implementation of the contract in
// src/shared/contract/api.ts. Project-level methods here; "app.*" methods live in the
// workspace (./workspace), which owns which project is open. The Electron IPC adapter and the
// HTTP server mode both call `dispatch`, which validates params at the boundary and turns
// failures into {code, message}.
import path from 'node:path';
import {
  apiParamSchemas,
  isApiMethod,
  type ApiMethod,
  type ApiResponse,
  type ApiResults,
} from '../shared/contract/api';
import { AppError, toErrorPayload } from '../core/errors';
import {
  exportLabels,
  importStudies,
  removeStudy,
  repairStudy,
  summarizeStudies,
} from '../core/project';
import { summarizeStudy } from '../shared/contract/project';
import { createVolumeHandlers } from './volumeHandlers';
import { createTrainingHandlers } from './trainingHandlers';
import { createReviewHandlers } from './reviewHandlers';
import type { ProjectContext } from './context';
import type { z } from 'zod';

type HandlerOf<M extends ApiMethod> = (
  params: z.output<(typeof apiParamSchemas)[M]>,
) => Promise<ApiResults[M]>;

export type AppMethod = Extract<ApiMethod, `app.${string}`>;
export type ProjectMethod = Exclude<ApiMethod, AppMethod>;
export type ProjectHandlers = { [M in ProjectMethod]: HandlerOf<M> };
type Handlers = { [M in ApiMethod]: HandlerOf<M> };

export function createProjectHandlers(ctx: ProjectContext): ProjectHandlers {
  const { store } = ctx;
  const options = { emit: ctx.emit, author: ctx.author };
  return {
    ...createVolumeHandlers(store, options),
    ...createTrainingHandlers(ctx),
    ...createReviewHandlers(ctx),
    'project.info': async () => ({
      name: store.manifest.name,
      root: store.root,
      labels: store.manifest.labels,
      studies: await summarizeStudies(store),
      problems: (await store.scanStudies()).problems,
    }),
    'project.setLabelClasses': async ({ labels }) => ({
      labels: (await store.setLabelClasses(labels)).labels,
    }),
    'studies.import': async ({ paths, labeled, replaceNonFinite, repairGeometry, volumeIndex }) => {
      const imported = await importStudies(store, paths, {
        labeled,
        nonFinite: replaceNonFinite ? 'zero' : 'reject',
        geometry: repairGeometry ? 'repair' : 'reject',
        volumeIndex,
        onProgress: options.emit && ((progress) => options.emit!('importProgressed', progress)),
      });
      return {
        imported: imported.map(({ id, labeled: l, warnings }) => ({ id, labeled: l, warnings })),
        skipped: imported.skipped,
        warnings: imported.warnings,
      };
    },
    'studies.repair': async ({ studyId }) => {
      const { record, changes } = await repairStudy(store, studyId);
      return { study: summarizeStudy(record), changes };
    },
    'studies.remove': async ({ studyId }) => removeStudy(store, studyId),
    'labels.list': async ({ studyId }) => {
      const study = await store.getStudy(studyId);
      return { versions: study.labelVersions, current: study.currentLabel };
    },
    'labels.restore': async ({ studyId, versionId }) => ({
      version: await store.restoreLabel(studyId, versionId),
    }),
    'labels.export': async ({ outDir, studies, include }) => {
      // A relative folder would land wherever the back end happens to run.
      if (!path.isAbsolute(outDir))
        throw new AppError('BAD_INPUT', `Export folder "${outDir}" must be an absolute path.`);
      return exportLabels(store, outDir, {
        studies,
        include,
        onProgress: ctx.emit && ((progress) => ctx.emit!('exportProgressed', progress)),
      });
    },
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
