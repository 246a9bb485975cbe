// Import planning (plain Node): turns the paths a user gave — NIfTI files, DICOM folders,
// Decathlon folders — into study items, before anything is decoded or written. A DICOM folder
// becomes one item per series; files the scan passed over keep their specific reasons.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { pathExists } from '../fs/exists';
import { isRegularFile } from '../fs/regularFile';
import { scanDicomFolder, type DicomSeriesInfo, type DicomSkippedFile } from '../volume/dicom';
import { idFromName } from './paths';

/** A series retrieved from a DICOMweb server: where the study record says it came from. */
export interface DicomwebOrigin {
  sourceId?: string;
  /** The service root, never with credentials. */
  baseUrl: string;
  /** The series' WADO-RS URL (the record's source path). */
  seriesUrl: string;
}

export type ImportItem =
  | { kind: 'nifti'; id: string; imagePath: string; labelPath?: string }
  | {
      kind: 'dicom';
      id: string;
      series: DicomSeriesInfo;
      folder: string;
      /** Set for a retrieved series; its files are a download folder's. */
      origin?: DicomwebOrigin;
    };

export interface ImportPlan {
  items: ImportItem[];
  /** A Decathlon dataset.json's label names, value → name. */
  labels?: Record<string, string>;
  /** Things the user should know that do not stop the import (a bad dataset.json, say). */
  warnings: string[];
}

const NIFTI_NAME = /\.(nii|nii\.gz|hdr)$/i;

export async function planImport(
  sources: string[],
  labeled: number | undefined,
): Promise<ImportPlan> {
  if (sources.length === 0)
    throw new AppError('BAD_INPUT', 'Nothing to import: give NIfTI files or folders.');
  const plan: ImportPlan = { items: [], warnings: [] };
  for (const source of sources) {
    const stat = await fs.stat(source).catch(() => undefined);
    if (!stat) throw new AppError('NOT_FOUND', `${source} does not exist.`);
    if (stat.isFile()) {
      if (!NIFTI_NAME.test(source)) {
        throw new AppError(
          'UNSUPPORTED',
          `${source} is not a NIfTI file (.nii, .nii.gz, .hdr); for DICOM, give the folder that holds the series.`,
        );
      }
      plan.items.push({
        kind: 'nifti',
        id: idFromName(path.basename(source)),
        imagePath: path.resolve(source),
      });
    } else if (stat.isDirectory()) {
      if (await isDecathlon(source)) {
        const planned = await planDecathlon(source, labeled);
        plan.items.push(...planned.items);
        plan.labels = planned.labels ?? plan.labels;
        plan.warnings.push(...planned.warnings);
      } else {
        plan.items.push(...(await planDicom(source)));
      }
    } else {
      throw new AppError('UNSUPPORTED', `${source} is neither a file nor a folder.`);
    }
  }
  return plan;
}

async function isDecathlon(dir: string): Promise<boolean> {
  return fs
    .stat(path.join(dir, 'imagesTr'))
    .then((s) => s.isDirectory())
    .catch(() => false);
}

async function planDecathlon(
  dir: string,
  labeled: number | undefined,
): Promise<{ items: ImportItem[]; labels?: Record<string, string>; warnings: string[] }> {
  const imagesDir = path.join(dir, 'imagesTr');
  const names = (await fs.readdir(imagesDir))
    .filter((n) => NIFTI_NAME.test(n) && !n.startsWith('.'))
    .sort();
  if (names.length === 0) throw new AppError('NOT_FOUND', `${imagesDir} holds no NIfTI images.`);
  const count = labeled ?? names.length;
  if (!Number.isInteger(count) || count < 0) {
    throw new AppError('BAD_INPUT', `--labeled must be a whole number ≥ 0 (got ${labeled}).`);
  }
  const items: ImportItem[] = [];
  for (const [index, name] of names.entries()) {
    const item: ImportItem = {
      kind: 'nifti',
      id: idFromName(name),
      imagePath: path.join(imagesDir, name),
    };
    if (index < count) {
      const labelPath = path.join(dir, 'labelsTr', name);
      if (!(await pathExists(labelPath)))
        throw new AppError(
          'NOT_FOUND',
          `Case ${name} has no label ${labelPath}; lower --labeled or add it.`,
        );
      item.labelPath = labelPath;
    }
    items.push(item);
  }
  return { items, ...(await readDatasetLabels(path.join(dir, 'dataset.json'))) };
}

/** dataset.json's "labels" map; a missing file is fine, a malformed one is said so. */
async function readDatasetLabels(
  file: string,
): Promise<{ labels?: Record<string, string>; warnings: string[] }> {
  if (!(await isRegularFile(file))) return { warnings: [] };
  const ignored = (why: string) => ({
    warnings: [`${file}: ${why}; its label names were ignored (the project keeps its own).`],
  });
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    return ignored(`not valid JSON (${(error as Error).message})`);
  }
  const labels = (json as { labels?: unknown } | null)?.labels;
  if (labels === undefined) return { warnings: [] };
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels))
    return ignored('"labels" is not an object of value → name');
  const entries = Object.entries(labels as Record<string, unknown>);
  const bad = entries.find(
    ([value, name]) =>
      typeof name !== 'string' ||
      name.trim() === '' ||
      !Number.isInteger(Number(value)) ||
      Number(value) < 0 ||
      Number(value) > 255,
  );
  if (bad)
    return ignored(
      `the label entry "${bad[0]}": ${JSON.stringify(bad[1])} is not a value 0–255 with a name`,
    );
  return { labels: Object.fromEntries(entries as [string, string][]), warnings: [] };
}

/** Why no series of a folder could be imported, from the scan's own reasons. */
function noSeriesMessage(dir: string, skipped: DicomSkippedFile[]): string {
  if (skipped.length === 0)
    return `${dir} holds no files (no DICOM image series, and it is not a Decathlon folder with imagesTr/).`;
  const counts = new Map<string, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const reasons = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([reason, n]) => `${n} ${n === 1 ? 'file' : 'files'}: ${reason}`);
  return (
    `${dir} holds no DICOM image series that can be imported (and it is not a Decathlon folder ` +
    `with imagesTr/): ${reasons.join('; ')}${counts.size > 4 ? '; …' : ''}.`
  );
}

async function planDicom(dir: string): Promise<ImportItem[]> {
  const series = await scanDicomFolder(dir, { recursive: true });
  if (series.length === 0) throw new AppError('UNSUPPORTED', noSeriesMessage(dir, series.skipped));
  const base = idFromName(path.basename(path.resolve(dir)));
  return series.map((s, index) => ({
    kind: 'dicom' as const,
    id:
      series.length === 1
        ? base
        : idFromName(`${base}_${s.seriesDescription || 'series'}_${index + 1}`),
    series: s,
    folder: path.resolve(dir),
  }));
}
