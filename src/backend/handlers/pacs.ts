// pacs.* handlers (plain Node): DICOMweb sources of this user and QIDO-RS search (these work
// with no project open: `createPacsSourceHandlers`), and for the open project the retrieve
// and SEG export jobs, their status and cancel, interrupted retrieves, which studies can get
// a SEG, and attaching a SEG file as a label version.
import path from 'node:path';
import { AppError } from '../../core/errors';
import { DicomwebClient } from '../../core/pacs/client';
import { discardPartial, listPartialRetrieves } from '../../core/pacs/downloads';
import { retrieveSeries } from '../../core/pacs/retrieve';
import {
  readSources,
  removeSource,
  resolveOrigin,
  resolveServer,
  saveSource,
  sourcesFile,
  summarizeSource,
} from '../../core/pacs/sources';
import type { ProjectStore } from '../../core/project';
import {
  exportSegmentations,
  segEligibility,
  type StowDestination,
} from '../../core/seg/exportSeg';
import { importSegFile } from '../../core/seg/importSeg';
import { pacsParamSchemas, type PacsApiResults } from '../../shared/contract/pacs';
import { summarizeStudy } from '../../shared/contract/project';
import type { ProjectContext } from '../context';
import { PacsJobSlot } from '../pacsJobs';
import type { NamespaceHandlers } from './types';

type PacsHandlers = NamespaceHandlers<typeof pacsParamSchemas, PacsApiResults>;

/** The methods that need no project: sources and search. */
export const PACS_USER_METHODS = [
  'pacs.listSources',
  'pacs.saveSource',
  'pacs.removeSource',
  'pacs.testSource',
  'pacs.searchStudies',
  'pacs.searchSeries',
] as const;
type UserMethod = (typeof PACS_USER_METHODS)[number];

export interface PacsUserContext {
  /** Where dicomweb-sources.json lives; absent: no registered sources (URLs only). */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The open project, if any (search marks series it already holds). */
  store?: () => ProjectStore | null;
}

function requireConfig(configDir: string | undefined): string {
  if (!configDir)
    throw new AppError(
      'UNSUPPORTED',
      'This shell keeps no per-user settings folder, so DICOMweb sources cannot be saved; give the server URL instead.',
    );
  return configDir;
}

export function createPacsSourceHandlers(user: PacsUserContext): Pick<PacsHandlers, UserMethod> {
  const env = user.env ?? process.env;
  const client = async (server: string) =>
    new DicomwebClient(await resolveServer(user.configDir, server, env));
  return {
    'pacs.listSources': async () => ({
      sources: user.configDir
        ? (await readSources(user.configDir)).map((s) => summarizeSource(s, env))
        : [],
      configFile: user.configDir ? sourcesFile(user.configDir) : null,
    }),
    'pacs.saveSource': async (input) => ({
      source: summarizeSource(await saveSource(requireConfig(user.configDir), input), env),
    }),
    'pacs.removeSource': async ({ sourceId }) => ({
      removed: await removeSource(requireConfig(user.configDir), sourceId),
    }),
    'pacs.testSource': async ({ server }) => {
      const c = await client(server);
      const started = Date.now();
      await c.searchStudies({ limit: 1 });
      return { server: c.server.label, ok: true, latencyMs: Date.now() - started };
    },
    'pacs.searchStudies': async ({ server, ...filters }) => {
      const c = await client(server);
      return { server: c.server.label, ...(await c.searchStudies(filters)) };
    },
    'pacs.searchSeries': async ({ server, ...filters }) => {
      const c = await client(server);
      const found = await c.searchSeries(filters);
      const store = user.store?.();
      const studies = store ? await store.listStudies() : [];
      const series = found.series.map((s) => {
        const study = studies.find((st) => st.source.seriesInstanceUid === s.seriesInstanceUid);
        return study ? { ...s, importedAs: study.id } : s;
      });
      return { server: c.server.label, series, truncated: found.truncated };
    },
  };
}

function absolute(file: string, what: string): string {
  if (!path.isAbsolute(file))
    throw new AppError(
      'BAD_INPUT',
      `${what} must be an absolute path on this machine (got "${file}").`,
    );
  return file;
}

export function createPacsNamespace(ctx: ProjectContext): PacsHandlers {
  const { store } = ctx;
  const slot = ctx.pacs ?? new PacsJobSlot(ctx.emit);
  const env = process.env;
  const user = createPacsSourceHandlers({ configDir: ctx.configDir, env, store: () => store });
  return {
    ...user,
    'pacs.retrieve': async ({ server, series, parallel, replaceNonFinite, repairGeometry }) => {
      const client = new DicomwebClient(await resolveServer(ctx.configDir, server, env));
      const job = slot.start('retrieve', client.server.label, async (control) => {
        const result = await retrieveSeries(store, client, series, {
          parallel,
          nonFinite: replaceNonFinite ? 'zero' : 'reject',
          geometry: repairGeometry ? 'repair' : 'reject',
          signal: control.signal,
          onProgress: (p) => {
            control.phase(p.phase);
            control.progress({
              done: p.done,
              total: p.total,
              item: p.item,
              resumed: p.resumed,
              bytes: p.bytes,
            });
          },
        });
        const n = result.imported.length;
        if (n > 0) ctx.emit?.('importProgressed', { done: n, total: n, item: '' });
        for (const s of result.segmentations)
          ctx.emit?.('labelSaved', { studyId: s.studyId, versionId: s.versionId });
        return { retrieve: result };
      });
      return { job };
    },

    'pacs.exportSeg': async ({ outDir, stow, stowTo, studies, only }) => {
      if (outDir) absolute(outDir, 'The SEG export folder');
      for (const id of studies ?? []) await store.getStudy(id);
      const fixed = stowTo
        ? new DicomwebClient(await resolveServer(ctx.configDir, stowTo, env))
        : undefined;
      const destination: StowDestination | undefined = fixed
        ? async () => fixed
        : stow
          ? async (study) =>
              study.source.dicomweb
                ? new DicomwebClient(await resolveOrigin(ctx.configDir, study.source.dicomweb, env))
                : { skip: 'it was not retrieved from a DICOMweb server; send it with stowTo' }
          : undefined;
      const target = [
        outDir,
        fixed?.server.label ?? (stow ? "each study's DICOMweb source" : undefined),
      ]
        .filter(Boolean)
        .join(' and ');
      const job = slot.start('exportSeg', target, async (control) => {
        control.phase('writing');
        const result = await exportSegmentations(store, {
          outDir,
          stow: destination,
          studies,
          include: only && { human: only === 'human', accepted: only === 'accepted' },
          signal: control.signal,
          onProgress: (p) => {
            control.phase(p.phase);
            control.progress({ done: p.done, total: p.total, item: p.item });
          },
        });
        return { export: result };
      });
      return { job };
    },

    'pacs.status': async () => ({
      job: slot.current,
      partial: await listPartialRetrieves(store.root),
    }),

    'pacs.cancel': async () => ({ job: slot.cancel() }),

    'pacs.discardPartial': async ({ key }) => {
      if (slot.busy && slot.current?.kind === 'retrieve')
        throw new AppError(
          'CONFLICT',
          'A retrieve is running; cancel it before discarding downloads.',
        );
      return { discarded: await discardPartial(store.root, key) };
    },

    'pacs.segTargets': async () => {
      const studies = [];
      for (const study of await store.listStudies()) {
        const eligible = await segEligibility(store, study).catch((error: unknown) => ({
          reason: error instanceof Error ? error.message : String(error),
        }));
        studies.push({
          studyId: study.id,
          possible: 'reference' in eligible && eligible.reference !== undefined,
          ...('reason' in eligible && eligible.reason ? { reason: eligible.reason } : {}),
          ...(study.source.dicomweb ? { dicomweb: study.source.dicomweb } : {}),
        });
      }
      return { studies };
    },

    'pacs.importSeg': async ({ path: file, studyId, draft }) => {
      const attached = await importSegFile(store, absolute(file, 'The SEG file'), {
        studyId,
        draft,
      });
      ctx.emit?.('labelSaved', { studyId: attached.studyId, versionId: attached.version.id });
      if (attached.addedLabels.length > 0) ctx.emit?.('projectChanged', { root: store.root });
      return {
        studyId: attached.studyId,
        version: attached.version,
        study: summarizeStudy(attached.record),
        segments: attached.segments,
        addedLabels: attached.addedLabels,
        warnings: attached.warnings,
      };
    },
  };
}
