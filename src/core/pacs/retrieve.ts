// Retrieving series from a DICOMweb server into a project (plain Node): look the series up
// (QIDO-RS), download their instances one by one (WADO-RS, a few at a time) into resumable
// download folders, then import them with the local DICOM import's rules — staged outside the
// write queue, committed by the journal — so a crash leaves no half study and the same
// retrieve again resumes. A DICOM SEG series is attached to the study it was drawn on.
import path from 'node:path';
import type { PacsRetrieveResult, PacsSeries } from '../../shared/contract/pacs';
import { crashPoint } from '../crashPoint';
import { AppError, toErrorPayload } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { importPlanned, type ImportOptions } from '../project/import';
import type { ImportItem } from '../project/importPlan';
import { idFromName } from '../project/paths';
import type { ProjectStore } from '../project/store';
import { scanDicomFolder } from '../volume/dicom';
import { importSegFile } from '../seg/importSeg';
import type { DicomwebClient } from './client';
import {
  discardPartial,
  downloadKey,
  hasVerifiedInstance,
  instanceFile,
  instanceProblem,
  openDownload,
  removeDownload,
  type DownloadFolder,
} from './downloads';
import type { PacsInstance } from './qido';

export interface SeriesRef {
  studyInstanceUid?: string;
  seriesInstanceUid: string;
}

export type RetrievePhase = 'listing' | 'downloading' | 'importing';

export interface RetrieveProgress {
  phase: RetrievePhase;
  done: number;
  total: number;
  item: string;
  resumed: number;
  bytes: number;
}

export interface RetrieveOptions extends Pick<ImportOptions, 'nonFinite' | 'geometry'> {
  /** Instances downloaded at once (default 4). */
  parallel?: number;
  onProgress?: (progress: RetrieveProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_PARALLEL = 4;
const SEG_MODALITY = 'SEG';
const CONTENT_ERRORS = new Set(['UNSUPPORTED', 'CORRUPT_FILE', 'GEOMETRY_MISMATCH', 'BAD_INPUT']);

interface PlannedSeries {
  series: PacsSeries;
  instances: PacsInstance[];
  download: DownloadFolder;
}

interface Job {
  planned: PlannedSeries;
  instance: PacsInstance;
}

export async function retrieveSeries(
  store: ProjectStore,
  client: DicomwebClient,
  refs: SeriesRef[],
  options: RetrieveOptions = {},
): Promise<PacsRetrieveResult> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'The project was opened read-only; cannot retrieve into it.');
  const server = client.server;
  const report = (p: Omit<RetrieveProgress, 'resumed' | 'bytes'>, resumed = 0, bytes = 0) =>
    options.onProgress?.({ ...p, resumed, bytes });
  report({ phase: 'listing', done: 0, total: refs.length, item: '' });

  const found: PacsSeries[] = [];
  for (const ref of dedupe(refs)) {
    const series = await lookUp(client, ref, options.signal);
    found.push(series);
    report({
      phase: 'listing',
      done: found.length,
      total: refs.length,
      item: series.seriesInstanceUid,
    });
  }
  await refuseImported(store, found, server.baseUrl);

  const planned: PlannedSeries[] = [];
  for (const series of found) {
    const instances = await client.listInstances(
      series.studyInstanceUid,
      series.seriesInstanceUid,
      options.signal,
    );
    const download = await openDownload(store.root, {
      baseUrl: server.baseUrl,
      ...(server.sourceId ? { sourceId: server.sourceId } : {}),
      studyInstanceUid: series.studyInstanceUid,
      seriesInstanceUid: series.seriesInstanceUid,
      total: instances.length,
    });
    planned.push({ series, instances, download });
  }

  const counts = await download(planned, client, options, report);
  await crashPoint('retrieve-downloaded');

  const result: PacsRetrieveResult = {
    imported: [],
    segmentations: [],
    skipped: [],
    warnings: [],
    downloaded: counts.downloaded,
    resumed: counts.resumed,
  };
  const images = planned.filter((p) => p.series.modality !== SEG_MODALITY);
  const segs = planned.filter((p) => p.series.modality === SEG_MODALITY);
  report({ phase: 'importing', done: 0, total: planned.length, item: '' });
  try {
    if (images.length > 0) await importImages(store, images, options, result);
    for (const seg of segs) await attachSegs(store, seg, result);
  } catch (error) {
    // Files that cannot become a study would fail the same way again: not worth keeping.
    if (CONTENT_ERRORS.has(toErrorPayload(error).code))
      for (const p of planned) await removeDownload(p.download.dir);
    throw error;
  }
  for (const p of planned) await removeDownload(p.download.dir);
  report({ phase: 'importing', done: planned.length, total: planned.length, item: '' });
  return result;
}

function dedupe(refs: SeriesRef[]): SeriesRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r.seriesInstanceUid) && seen.add(r.seriesInstanceUid));
}

async function lookUp(client: DicomwebClient, ref: SeriesRef, signal?: AbortSignal) {
  if (!ref.studyInstanceUid) return client.findSeries(ref.seriesInstanceUid, signal);
  const { series } = await client.searchSeries(
    { studyInstanceUid: ref.studyInstanceUid, seriesInstanceUid: ref.seriesInstanceUid, limit: 2 },
    signal,
  );
  const match = series.find((s) => s.seriesInstanceUid === ref.seriesInstanceUid);
  if (!match)
    throw new AppError(
      'NOT_FOUND',
      `${client.server.label} has no series ${ref.seriesInstanceUid} in study ${ref.studyInstanceUid}.`,
    );
  return match;
}

/**
 * A series already in the project is refused before anything is downloaded (a download folder
 * a crash left after its commit goes: the study it was for is complete).
 */
async function refuseImported(
  store: ProjectStore,
  series: PacsSeries[],
  baseUrl: string,
): Promise<void> {
  const studies = await store.listStudies();
  for (const s of series) {
    if (s.modality === SEG_MODALITY) continue;
    const existing = studies.find((st) => st.source.seriesInstanceUid === s.seriesInstanceUid);
    if (existing) {
      await discardPartial(store.root, downloadKey(baseUrl, s.seriesInstanceUid));
      throw new AppError(
        'CONFLICT',
        `Series ${s.seriesInstanceUid} is already study "${existing.id}" of this project (imported ${existing.source.importedAt.slice(0, 10)}); nothing was retrieved.`,
      );
    }
  }
}

/** Fetches every instance not already in its download folder; resolves with the counts. */
async function download(
  planned: PlannedSeries[],
  client: DicomwebClient,
  options: RetrieveOptions,
  report: (
    p: Omit<RetrieveProgress, 'resumed' | 'bytes'>,
    resumed?: number,
    bytes?: number,
  ) => void,
): Promise<{ downloaded: number; resumed: number }> {
  const total = planned.reduce((n, p) => n + p.instances.length, 0);
  const queue: Job[] = [];
  let resumed = 0;
  for (const p of planned)
    for (const instance of p.instances) {
      const file = instanceFile(p.download.dir, instance.sopInstanceUid);
      const expected = {
        sopInstanceUid: instance.sopInstanceUid,
        seriesInstanceUid: p.series.seriesInstanceUid,
      };
      if (await hasVerifiedInstance(file, expected)) resumed++;
      else queue.push({ planned: p, instance });
    }
  let done = resumed;
  let bytes = 0;
  report({ phase: 'downloading', done, total, item: '' }, resumed, bytes);

  // Workers share one queue; the first failure stops the others (and a cancel stops all).
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let failure: unknown;
  const worker = async () => {
    for (let job = queue.shift(); job && !signal.aborted; job = queue.shift()) {
      const { planned: p, instance } = job;
      const uids = {
        studyInstanceUid: p.series.studyInstanceUid,
        seriesInstanceUid: p.series.seriesInstanceUid,
        sopInstanceUid: instance.sopInstanceUid,
      };
      const bytesOf = await client.retrieveInstance(uids, signal);
      const problem = instanceProblem(bytesOf, uids);
      if (problem)
        throw new AppError(
          'REMOTE_FAILED',
          `${client.server.label} answered the request for instance ${uids.sopInstanceUid} with something else: ${problem}.`,
        );
      await writeFileAtomic(instanceFile(p.download.dir, uids.sopInstanceUid), bytesOf);
      done++;
      bytes += bytesOf.byteLength;
      report({ phase: 'downloading', done, total, item: uids.sopInstanceUid }, resumed, bytes);
      await crashPoint(`retrieve-saved-${done - resumed}`);
    }
  };
  const parallel = Math.max(1, Math.min(options.parallel ?? DEFAULT_PARALLEL, 16));
  await Promise.all(
    Array.from({ length: Math.min(parallel, Math.max(queue.length, 1)) }, () =>
      worker().catch((error: unknown) => {
        failure ??= error;
        stop.abort();
      }),
    ),
  );
  if (options.signal?.aborted)
    throw new AppError(
      'CANCELLED',
      `Retrieve cancelled after ${done} of ${total} instances; they are kept in ${path.dirname(planned[0]!.download.dir)} and the same retrieve resumes from there.`,
    );
  if (failure) throw keptNote(failure, done, total);
  return { downloaded: done - resumed, resumed };
}

function keptNote(error: unknown, done: number, total: number): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(
    error.code,
    `${error.message} ${done} of ${total} instances are downloaded and kept; retrieving the same series again resumes.`,
    { cause: error },
  );
}

/** Study IDs from the patient and the series, unique in the project and this retrieve. */
async function studyIds(store: ProjectStore, series: PacsSeries[]): Promise<string[]> {
  const taken = new Set<string>();
  const ids: string[] = [];
  for (const s of series) {
    const what = s.seriesDescription || s.modality || `series_${s.seriesNumber ?? ''}`;
    const base = idFromName(`${s.patientId || 'dicomweb'}_${what}`);
    let id = base;
    for (let n = 2; taken.has(id) || (await store.hasStudyFolder(id)); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.push(id);
  }
  return ids;
}

async function importImages(
  store: ProjectStore,
  images: PlannedSeries[],
  options: RetrieveOptions,
  result: PacsRetrieveResult,
): Promise<void> {
  const server = images[0]!.download.manifest;
  const ids = await studyIds(
    store,
    images.map((p) => p.series),
  );
  const items: ImportItem[] = [];
  for (const [index, p] of images.entries()) {
    const scanned = await scanDicomFolder(p.download.dir, { recursive: false });
    const series = scanned.find((s) => s.seriesInstanceUid === p.series.seriesInstanceUid);
    const seriesUrl = `${server.baseUrl}/studies/${p.series.studyInstanceUid}/series/${p.series.seriesInstanceUid}`;
    if (!series) {
      const why = scanned.skipped.find((f) => f.path.endsWith('.dcm'))?.reason ?? 'no image slices';
      result.skipped.push({
        source: seriesUrl,
        reason: `not an image series that can be imported (${why})`,
      });
      continue;
    }
    for (const s of scanned.skipped.filter((f) => f.path.endsWith('.dcm')))
      result.warnings.push(
        `${seriesUrl}: instance ${path.basename(s.path, '.dcm')} passed over: ${s.reason}`,
      );
    items.push({
      kind: 'dicom',
      id: ids[index]!,
      series,
      folder: p.download.dir,
      origin: {
        ...(server.sourceId ? { sourceId: server.sourceId } : {}),
        baseUrl: server.baseUrl,
        seriesUrl,
      },
    });
  }
  if (items.length === 0) return;
  const imported = await importPlanned(
    store,
    { items, warnings: [] },
    {
      nonFinite: options.nonFinite,
      geometry: options.geometry,
      signal: options.signal,
      skipFailedSeries: true,
    },
  );
  for (const study of imported) {
    const item = items.find((i) => i.id === study.id) as Extract<ImportItem, { kind: 'dicom' }>;
    result.imported.push({
      id: study.id,
      seriesInstanceUid: item.series.seriesInstanceUid,
      labeled: study.labeled,
      warnings: study.warnings,
    });
  }
  result.skipped.push(...imported.skipped);
  result.warnings.push(...imported.warnings);
}

async function attachSegs(
  store: ProjectStore,
  seg: PlannedSeries,
  result: PacsRetrieveResult,
): Promise<void> {
  for (const instance of seg.instances) {
    const file = instanceFile(seg.download.dir, instance.sopInstanceUid);
    try {
      const attached = await importSegFile(store, file);
      result.segmentations.push({
        studyId: attached.studyId,
        versionId: attached.version.id,
        sopInstanceUid: instance.sopInstanceUid,
      });
      result.warnings.push(...attached.warnings.map((w) => `${attached.studyId}: ${w}`));
    } catch (error) {
      const { code, message } = toErrorPayload(error);
      if (code === 'IO_FAILED' || code === 'INTERNAL' || code === 'LOCKED') throw error;
      result.skipped.push({ source: `DICOM SEG ${instance.sopInstanceUid}`, reason: message });
    }
  }
}
