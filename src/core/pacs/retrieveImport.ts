// Importing a retrieve's downloads (plain Node): image series become studies through the
// local DICOM import (staged, committed by the journal; a series that cannot be imported is
// skipped with its reason), named from the patient and the series; DICOM SEG instances are
// attached to the studies they were drawn on.
import path from 'node:path';
import type { PacsRetrieveResult, PacsSeries } from '../../shared/contract/pacs';
import { toErrorPayload } from '../errors';
import { importPlanned } from '../project/import';
import type { ImportItem } from '../project/importPlan';
import { idFromName } from '../project/paths';
import type { ProjectStore } from '../project/store';
import { importSegFile } from '../seg/importSeg';
import { scanDicomFolder } from '../volume/dicom';
import { instanceFile } from './downloads';
import type { RetrieveOptions } from './retrieve';
import type { PlannedSeries } from './retrieveDownload';

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

export async function importImages(
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

export async function attachSegs(
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
