// Attaching a DICOM SEG to its study as a label version (plain Node): find the study it was
// drawn on (the series it references, else the Frame of Reference), place every frame on one
// of the study's slices, turn segments into label values, and save a new version — earlier
// versions are kept. A SEG that matches no study, or lies off its slices, is refused with why.
import path from 'node:path';
import type { LabelClass, LabelVersion, StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { readDicomReference } from '../project/dicomReference';
import type { ProjectStore } from '../project/store';
import { loadDcmjs } from './dcmjs';
import { placeFrames } from './placement';
import { readSegFile, type ParsedSeg, type ParsedSegment } from './read';
import { mapSegments } from './segmentMap';

export interface SegImportOptions {
  /** The study to attach to (checked); default: the one the SEG references. */
  studyId?: string;
  /** Save as work in progress instead of a finished label. */
  draft?: boolean;
  /** What the version's provenance names as its source (default: the file's path). */
  sourceName?: string;
}

export interface SegImport {
  studyId: string;
  version: LabelVersion;
  record: StudyRecord;
  segments: { number: number; label: string; value: number; voxels: number }[];
  addedLabels: LabelClass[];
  warnings: string[];
}

interface Target {
  study: StudyRecord;
  slices: number[];
}

export async function importSegFile(
  store: ProjectStore,
  file: string,
  options: SegImportOptions = {},
): Promise<SegImport> {
  if (!store.writable)
    throw new AppError('BAD_INPUT', 'The project was opened read-only; cannot attach a SEG.');
  const seg = await readSegFile(file);
  const studies = await store.listStudies();
  const target = options.studyId
    ? await checkNamed(store, seg, await store.getStudy(options.studyId), file)
    : await findTarget(store, seg, studies, file);
  const dcmjs = await loadDcmjs();
  const mapping = mapSegments(seg.segments, store.manifest.labels, {
    projectHasLabels: studies.some((s) => s.labelVersions.length > 0),
    colorOf: (s) => (s.cielab ? labToHex(dcmjs.data.Colors.dicomlab2RGB(s.cielab)) : undefined),
  });
  const { data, voxels, overlaps } = rasterize(seg, target, mapping.values);
  const warnings = [...mapping.warnings];
  if (overlaps > 0)
    warnings.push(
      `${overlaps} voxels lie in more than one segment; the higher-numbered segment was kept there`,
    );
  if (voxels.every((n) => n === 0)) warnings.push('the SEG holds no segmented voxels');
  if (mapping.added.length > 0) await store.setLabelClasses(mapping.classes);
  const study = target.study;
  const version = await store.saveLabel(
    study.id,
    { dims: study.dims, affine: study.affine, data },
    {
      provenance: { kind: 'import', sourcePath: options.sourceName ?? path.resolve(file) },
      final: !options.draft,
      note: `DICOM SEG ${seg.sopInstanceUid}: ${seg.segments.map((s) => s.label).join(', ')}`.slice(
        0,
        500,
      ),
    },
  );
  return {
    studyId: study.id,
    version,
    record: await store.getStudy(study.id),
    segments: seg.segments.map((s, index) => ({
      number: s.number,
      label: s.label,
      value: mapping.values.get(s.number)!,
      voxels: voxels[index]!,
    })),
    addedLabels: mapping.added,
    warnings,
  };
}

function labToHex(rgb: [number, number, number]): string {
  return `#${rgb
    .map((c) =>
      Math.max(0, Math.min(255, Math.round(c * 255)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

function describeSeg(seg: ParsedSeg): string {
  const series = seg.referencedSeriesUids.length
    ? `series ${seg.referencedSeriesUids.join(', ')}`
    : 'no series';
  return `${series} and Frame of Reference ${seg.frameOfReferenceUid ?? '(none)'}`;
}

async function frameOfReferenceOf(
  store: ProjectStore,
  study: StudyRecord,
): Promise<string | undefined> {
  if (study.source.kind !== 'dicom') return undefined;
  return (await readDicomReference(store, study.id).catch(() => undefined))?.frameOfReferenceUid;
}

/** The named study, when the SEG is about it and lies on its slices. */
async function checkNamed(
  store: ProjectStore,
  seg: ParsedSeg,
  study: StudyRecord,
  file: string,
): Promise<Target> {
  const series = study.source.seriesInstanceUid;
  const frameOfReference = await frameOfReferenceOf(store, study);
  const sameSeries = !!series && seg.referencedSeriesUids.includes(series);
  const sameFrame = !!frameOfReference && frameOfReference === seg.frameOfReferenceUid;
  const saysNothing = seg.referencedSeriesUids.length === 0 && !seg.frameOfReferenceUid;
  if (!sameSeries && !sameFrame && !saysNothing)
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${file} was drawn on ${describeSeg(seg)}, but study "${study.id}" is ` +
        (study.source.kind === 'dicom'
          ? `series ${series ?? '(unknown)'} with Frame of Reference ${frameOfReference ?? '(unknown)'}`
          : 'a NIfTI import (no DICOM frame of reference)') +
        '; attach it to the study of that series.',
    );
  const placed = placeFrames(seg, study);
  if (!placed.slices)
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${file} does not lie on study "${study.id}": ${placed.reason}.`,
    );
  return { study, slices: placed.slices };
}

/** The one study the SEG references (or shares a Frame of Reference and grid with). */
async function findTarget(
  store: ProjectStore,
  seg: ParsedSeg,
  studies: StudyRecord[],
  file: string,
): Promise<Target> {
  const bySeries = studies.filter(
    (s) =>
      s.source.seriesInstanceUid && seg.referencedSeriesUids.includes(s.source.seriesInstanceUid),
  );
  const byFrame: StudyRecord[] = [];
  if (bySeries.length === 0 && seg.frameOfReferenceUid)
    for (const s of studies)
      if ((await frameOfReferenceOf(store, s)) === seg.frameOfReferenceUid) byFrame.push(s);
  const candidates = bySeries.length > 0 ? bySeries : byFrame;
  if (candidates.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `No study in this project is ${describeSeg(seg)}, which ${file} was drawn on; import that series first, or name the study.`,
    );
  const placed = candidates.map((study) => ({ study, placement: placeFrames(seg, study) }));
  const fitting = placed.filter((p) => p.placement.slices);
  if (fitting.length === 1)
    return { study: fitting[0]!.study, slices: fitting[0]!.placement.slices! };
  if (fitting.length > 1)
    throw new AppError(
      'CONFLICT',
      `${file} fits several studies (${fitting.map((p) => p.study.id).join(', ')}); name the one to attach it to.`,
    );
  throw new AppError(
    'GEOMETRY_MISMATCH',
    `${file} is about ${placed.map((p) => `study "${p.study.id}"`).join(', ')} but does not lie on its slices: ` +
      `${placed.map((p) => (p.placement.slices ? '' : p.placement.reason)).join('; ')}.`,
  );
}

/** The label volume on the study grid; later segments win where segments overlap. */
function rasterize(seg: ParsedSeg, target: Target, values: Map<number, number>) {
  const [nx, ny, nz] = target.study.dims;
  const sliceSize = nx * ny;
  const data = new Uint8Array(sliceSize * nz);
  const order = seg.frames
    .map((frame, f) => ({ frame, f }))
    .sort((a, b) => a.frame.segmentNumber - b.frame.segmentNumber);
  const index = new Map<number, number>(seg.segments.map((s: ParsedSegment, i) => [s.number, i]));
  const voxels = seg.segments.map(() => 0);
  let overlaps = 0;
  for (const { frame, f } of order) {
    const value = values.get(frame.segmentNumber)!;
    const offset = target.slices[f]! * sliceSize;
    let count = 0;
    for (let p = 0; p < sliceSize; p++) {
      if (!seg.isSet(f, p)) continue;
      const previous = data[offset + p]!;
      if (previous !== 0 && previous !== value) overlaps++;
      data[offset + p] = value;
      count++;
    }
    voxels[index.get(frame.segmentNumber)!] += count;
  }
  return { data, voxels, overlaps };
}
