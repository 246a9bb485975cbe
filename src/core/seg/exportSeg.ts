// Exporting finished labels as DICOM SEG (plain Node): for each chosen study with a finished
// label and a DICOM reference, one SEG — MANUAL for a person's label, SEMIAUTOMATIC naming the
// model for an accepted proposal — written to <outDir>/<study>.seg.dcm and/or stored with
// STOW-RS. UIDs derive from the label version, so exporting it again gives the same instance
// (a PACS keeps one). Everything that can refuse is checked before the first file or request.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { PacsExportResult, PacsExportedSeg } from '../../shared/contract/pacs';
import type { LabelVersion, StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import { dicomReferenceFor } from '../project/dicomReference';
import {
  contentProvenance,
  planExport,
  prepareOutputFolder,
  type ExportInclude,
} from '../project/export';
import type { ProjectStore } from '../project/store';
import type { DicomSeriesReference } from '../volume/dicom';
import type { DicomwebClient } from '../pacs/client';
import { buildSegmentation, type BuiltSeg, type SegAlgorithm } from './build';
import { derivedUid } from './uids';

export const SEG_FILE_SUFFIX = '.seg.dcm';
const SOFTWARE_VERSION = '0.1.0';

/** Where a study's SEG is stored: a client, or why it cannot be (reported as a skip). */
export type StowDestination = (study: StudyRecord) => Promise<DicomwebClient | { skip: string }>;

export interface SegExportOptions {
  studies?: string[];
  include?: ExportInclude;
  /** Write <outDir>/<study>.seg.dcm. */
  outDir?: string;
  /** Store each SEG with STOW-RS where this says. */
  stow?: StowDestination;
  onProgress?: (p: {
    phase: 'writing' | 'sending';
    done: number;
    total: number;
    item: string;
  }) => void;
  signal?: AbortSignal;
}

interface SegItem {
  study: StudyRecord;
  version: LabelVersion;
  reference: DicomSeriesReference;
  algorithm: SegAlgorithm;
  client?: DicomwebClient;
}

/** A label version's SEG algorithm: its content's provenance, through restores. */
export function segAlgorithm(study: StudyRecord, versionId: string): SegAlgorithm {
  const provenance = contentProvenance(study, versionId);
  return provenance?.kind === 'model'
    ? { type: 'SEMIAUTOMATIC', modelId: provenance.modelId, edited: provenance.edited }
    : { type: 'MANUAL' };
}

/** Why a study can get no SEG (undefined: it can), with its reference when it can. */
export async function segEligibility(
  store: ProjectStore,
  study: StudyRecord,
): Promise<{ reference: DicomSeriesReference } | { reference?: undefined; reason: string }> {
  const lookup = await dicomReferenceFor(store, study);
  if (!lookup.reference) return { reason: lookup.reason };
  if (lookup.reference.segUnsupported) return { reason: lookup.reference.segUnsupported };
  return { reference: lookup.reference };
}

async function plan(store: ProjectStore, options: SegExportOptions) {
  const base = planExport(await store.listStudies(), options);
  const items: SegItem[] = [];
  const skipped = [...base.skipped];
  for (const { study, version } of base.items) {
    const eligible = await segEligibility(store, study);
    if (!eligible.reference) {
      skipped.push({ studyId: study.id, reason: `no DICOM SEG: ${eligible.reason}` });
      continue;
    }
    let client: DicomwebClient | undefined;
    if (options.stow) {
      const destination = await options.stow(study);
      if ('skip' in destination) {
        skipped.push({ studyId: study.id, reason: `not stored: ${destination.skip}` });
        if (!options.outDir) continue;
      } else client = destination;
    }
    items.push({
      study,
      version,
      reference: eligible.reference,
      algorithm: segAlgorithm(study, version.id),
      client,
    });
  }
  return { items, skipped };
}

export async function exportSegmentations(
  store: ProjectStore,
  options: SegExportOptions,
): Promise<PacsExportResult> {
  if (!options.outDir && !options.stow)
    throw new AppError('BAD_INPUT', 'Nothing to do: give an output folder, or STOW-RS to send to.');
  const { items, skipped } = await plan(store, options);
  if (items.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `No DICOM SEG to export${skipped.length ? `: ${skipped.map((s) => `${s.studyId} (${s.reason})`).join('; ')}` : ': no study has a finished label'}.`,
    );
  const outDir = options.outDir ? path.resolve(options.outDir) : undefined;
  if (outDir) await prepareOutputFolder(store.root, outDir);
  const exported: PacsExportedSeg[] = [];
  options.onProgress?.({ phase: 'writing', done: 0, total: items.length, item: '' });
  for (const item of items) {
    if (options.signal?.aborted)
      throw new AppError(
        'CANCELLED',
        `SEG export cancelled after ${exported.length} of ${items.length} studies (those are complete).`,
      );
    try {
      exported.push(await exportOne(store, item, outDir, options));
    } catch (error) {
      throw stoppedAt(error, item.study.id, exported.length, items.length);
    }
    options.onProgress?.({
      phase: item.client ? 'sending' : 'writing',
      done: exported.length,
      total: items.length,
      item: item.study.id,
    });
  }
  return { exported, skipped };
}

async function exportOne(
  store: ProjectStore,
  item: SegItem,
  outDir: string | undefined,
  options: SegExportOptions,
): Promise<PacsExportedSeg> {
  const { study, version } = item;
  const label = await store.readLabel(study.id, version.id);
  if (!label) throw new AppError('NOT_FOUND', `Study "${study.id}" has no label ${version.id}.`);
  const labels = label.data instanceof Uint8Array ? label.data : Uint8Array.from(label.data);
  const identity = [
    'simcvd-seg',
    store.manifest.createdAt,
    study.id,
    version.id,
    version.createdAt,
    createHash('sha256').update(labels).digest('hex'),
  ];
  const provenance = contentProvenance(study, version.id);
  const built = await buildSegmentation({
    reference: item.reference,
    dims: study.dims,
    labels,
    classes: store.manifest.labels,
    algorithm: item.algorithm,
    seriesInstanceUid: derivedUid(...identity, 'series'),
    sopInstanceUid: derivedUid(...identity, 'instance'),
    seriesDescription: `SimCVD ${study.id} ${version.id}`,
    contentDescription: describeVersion(version, item.algorithm),
    ...(provenance?.kind === 'human' && provenance.author
      ? { contentCreator: provenance.author }
      : {}),
    softwareVersion: SOFTWARE_VERSION,
  });
  const result: PacsExportedSeg = {
    studyId: study.id,
    labelVersion: version.id,
    sopInstanceUid: derivedUid(...identity, 'instance'),
    seriesInstanceUid: derivedUid(...identity, 'series'),
    segments: built.segments.length,
    frames: built.frames,
  };
  if (outDir) {
    const file = path.join(outDir, `${study.id}${SEG_FILE_SUFFIX}`);
    await writeFileAtomic(file, built.bytes);
    result.path = file;
  }
  if (item.client) {
    await stowOne(
      item.client,
      built,
      item.reference.studyInstanceUid,
      result.sopInstanceUid,
      options.signal,
    );
    result.server = item.client.server.label;
  }
  return result;
}

function describeVersion(version: LabelVersion, algorithm: SegAlgorithm): string {
  if (algorithm.type === 'MANUAL') return `SimCVD label ${version.id} (drawn by a person)`;
  return `SimCVD label ${version.id} (proposal of model ${algorithm.modelId}${algorithm.edited ? ', edited' : ''}, accepted)`;
}

async function stowOne(
  client: DicomwebClient,
  built: BuiltSeg,
  studyInstanceUid: string,
  sopInstanceUid: string,
  signal?: AbortSignal,
): Promise<void> {
  const outcome = await client.store([built.bytes], studyInstanceUid, signal);
  const failed =
    outcome.failed.find((f) => f.sopInstanceUid === sopInstanceUid) ?? outcome.failed[0];
  if (failed)
    throw new AppError(
      'REMOTE_FAILED',
      `${client.server.label} refused to store the SEG ${sopInstanceUid}: ${failed.reason}.`,
    );
}

function stoppedAt(error: unknown, studyId: string, done: number, total: number): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(
    error.code,
    `${error.message} The SEG export stopped at ${studyId} after ${done} of ${total} studies (those are complete).`,
    { cause: error },
  );
}
