// Retrieving series from a DICOMweb server into a project (plain Node): look the series up
// (QIDO-RS), download their instances one by one (WADO-RS, a few at a time) into resumable
// download folders, then import them with the local DICOM import's rules — staged outside the
// write queue, committed by the journal — so a crash leaves no half study and the same
// retrieve again resumes. A DICOM SEG series is attached to the study it was drawn on.
// The download is retrieveDownload.ts, the import retrieveImport.ts.
import type { PacsRetrieveResult, PacsSeries } from '../../shared/contract/pacs';
import { crashPoint } from '../crashPoint';
import { AppError, toErrorPayload } from '../errors';
import type { ImportOptions } from '../project/import';
import type { ProjectStore } from '../project/store';
import type { DicomwebClient } from './client';
import { discardPartial, downloadKey, openDownload, removeDownload } from './downloads';
import { downloadInstances, type PlannedSeries } from './retrieveDownload';
import { attachSegs, importImages } from './retrieveImport';

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

export { DEFAULT_PARALLEL } from './retrieveDownload';

const SEG_MODALITY = 'SEG';
const CONTENT_ERRORS = new Set(['UNSUPPORTED', 'CORRUPT_FILE', 'GEOMETRY_MISMATCH', 'BAD_INPUT']);

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

  const counts = await downloadInstances(planned, client, options, report);
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
