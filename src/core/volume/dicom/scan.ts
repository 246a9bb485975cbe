// scanDicomFolder (plain Node): walks a folder, reads only the header of each file, and groups
// single-frame greyscale image slices by SeriesInstanceUID. Everything else (non-DICOM files,
// reports, structure sets, colour or multi-frame images, unreadable files) is listed in
// `skipped` with the reason, never fatal.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, isAppError } from '../../errors';
import { isRegularFile } from '../../fs/regularFile';
import { unsupportedImageReason } from './consistency';
import { readDicomHeaderFile } from './dicomFile';
import type { DicomHeader } from './header';
import { nonImageSopClassName } from './sopClass';
import type { DicomScanResult, DicomSeriesInfo, DicomSkippedFile } from './types';

const PARALLEL_READS = 8;

async function listFiles(
  dir: string,
  recursive: boolean,
  skipped: DicomSkippedFile[],
): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // an unreadable sub-folder is not worth failing the whole scan over
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...(await listFiles(path, recursive, skipped)));
    } else if (entry.isFile()) {
      files.push(path);
    } else if (entry.isSymbolicLink() && (await isRegularFile(path))) {
      // Links are followed to regular files only: one to a FIFO or device would block the
      // read, and one to a folder could loop.
      files.push(path);
    } else {
      skipped.push({
        path,
        reason: entry.isSymbolicLink()
          ? 'a link to something that is not a regular file'
          : 'not a regular file (a pipe, socket or device)',
      });
    }
  }
  return files;
}

function skipReason(header: DicomHeader): string | undefined {
  const nonImage = nonImageSopClassName(header.sopClassUid);
  if (nonImage) return `${header.modality || 'DICOM'} ${nonImage} object, not an image`;
  const unsupported = unsupportedImageReason(header);
  if (unsupported) return unsupported;
  if (!header.seriesInstanceUid)
    return 'no SeriesInstanceUID, so it cannot be grouped into a series';
  return undefined;
}

interface Candidate {
  path: string;
  header: DicomHeader;
}

async function readCandidates(files: string[], skipped: DicomSkippedFile[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const readOne = async (path: string) => {
    try {
      const header = await readDicomHeaderFile(path);
      if (!header) return skipped.push({ path, reason: 'not a DICOM file' });
      const reason = skipReason(header);
      if (reason) return skipped.push({ path, reason });
      candidates.push({ path, header });
    } catch (error) {
      skipped.push({ path, reason: isAppError(error) ? error.message : String(error) });
    }
  };
  for (let start = 0; start < files.length; start += PARALLEL_READS) {
    await Promise.all(files.slice(start, start + PARALLEL_READS).map(readOne));
  }
  return candidates.sort((a, b) => a.path.localeCompare(b.path));
}

function byInstance(a: Candidate, b: Candidate): number {
  const ia = a.header.instanceNumber ?? Infinity;
  const ib = b.header.instanceNumber ?? Infinity;
  return ia === ib ? a.path.localeCompare(b.path) : ia - ib;
}

function toSeriesInfo(members: Candidate[]): DicomSeriesInfo {
  const lead = members[0]!.header;
  return {
    seriesInstanceUid: lead.seriesInstanceUid,
    studyInstanceUid: lead.studyInstanceUid,
    modality: lead.modality,
    seriesDescription: lead.seriesDescription,
    seriesNumber: lead.seriesNumber,
    patientId: lead.patientId,
    files: members.map((m) => m.path),
    sliceCount: members.length,
    rows: lead.image.rows,
    columns: lead.image.columns,
    transferSyntaxUids: [...new Set(members.map((m) => m.header.transferSyntaxUid))],
  };
}

function groupSeries(candidates: Candidate[], skipped: DicomSkippedFile[]): DicomSeriesInfo[] {
  const groups = new Map<string, Candidate[]>();
  const instances = new Map<string, string>();
  for (const candidate of candidates) {
    const { seriesInstanceUid, sopInstanceUid } = candidate.header;
    const copyOf = sopInstanceUid ? instances.get(sopInstanceUid) : undefined;
    if (copyOf) {
      skipped.push({
        path: candidate.path,
        reason: `same SOPInstanceUID as ${copyOf} (a copy of that file)`,
      });
      continue;
    }
    if (sopInstanceUid) instances.set(sopInstanceUid, candidate.path);
    const members = groups.get(seriesInstanceUid) ?? [];
    members.push(candidate);
    groups.set(seriesInstanceUid, members);
  }
  return [...groups.values()]
    .map((members) => toSeriesInfo(members.sort(byInstance)))
    .sort(
      (a, b) =>
        a.studyInstanceUid.localeCompare(b.studyInstanceUid) ||
        (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity) ||
        a.seriesInstanceUid.localeCompare(b.seriesInstanceUid),
    );
}

/** Finds the DICOM image series in `dir` (recursively unless `recursive: false`). */
export async function scanDicomFolder(
  dir: string,
  options: { recursive?: boolean } = {},
): Promise<DicomScanResult> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new AppError('NOT_FOUND', `Folder ${root} does not exist.`);
  if (!info.isDirectory())
    throw new AppError(
      'BAD_INPUT',
      `${root} is not a folder; choose the folder holding the DICOM files.`,
    );
  const skipped: DicomSkippedFile[] = [];
  const candidates = await readCandidates(
    await listFiles(root, options.recursive ?? true, skipped),
    skipped,
  );
  const series = groupSeries(candidates, skipped);
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return Object.assign(series, { skipped });
}
