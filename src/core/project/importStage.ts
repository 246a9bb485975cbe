// Staging one import item (plain Node): decode the image (NIfTI or a DICOM series), check its
// voxels and geometry, and write the study folder — image, record, the first label version —
// into the import's private staging folder. Nothing here touches the project's own studies.
import path from 'node:path';
import { studyRecordSchema, type StudyRecord } from '../../shared/contract/project';
import { AppError } from '../errors';
import { writeFileAtomic, writeRecordAtomic } from '../fs/atomic';
import { loadDicomSeries } from '../volume/dicom';
import { checkGeometry, type GeometryPolicy } from '../volume/geometryCheck';
import { encodeVolumeFile, readVolumeFile } from '../volume/nifti';
import { voxelTypeOf, type Volume } from '../volume/volume';
import { writeDicomReference } from './dicomReference';
import type { ImportItem } from './importPlan';
import { assertSameGrid, checkLabelData } from './labels';
import { IMAGE_FILE, LABELS_DIR, STUDY_FILE } from './paths';

export type NonFinitePolicy = 'reject' | 'zero';

export interface StageOptions {
  labelValues: number[];
  nonFinite: NonFinitePolicy;
  geometry: GeometryPolicy;
  /** Which 3-D volume of a 4-D NIfTI file to take. */
  volumeIndex?: number;
}

export interface ImportedStudy {
  id: string;
  sourcePath: string;
  labeled: boolean;
  warnings: string[];
}

/** Stages one item; its errors always name the input they are about. */
export async function stageItem(
  stagedStudies: string,
  item: ImportItem,
  options: StageOptions,
): Promise<ImportedStudy> {
  const source = item.kind === 'nifti' ? item.imagePath : (item.origin?.seriesUrl ?? item.folder);
  try {
    return await stage(stagedStudies, item, options);
  } catch (error) {
    if (!(error instanceof AppError) || error.message.includes(source)) throw error;
    const where =
      item.kind === 'nifti'
        ? source
        : `${source} (series ${item.series.seriesNumber ?? item.series.seriesInstanceUid})`;
    throw new AppError(error.code, `${where}: ${error.message}`, { cause: error });
  }
}

async function stage(
  stagedStudies: string,
  item: ImportItem,
  options: StageOptions,
): Promise<ImportedStudy> {
  const warnings: string[] = [];
  const loaded =
    item.kind === 'nifti'
      ? {
          volume: await readVolumeFile(item.imagePath, { volumeIndex: options.volumeIndex }),
          sourcePath: item.imagePath,
          extra: {},
          reference: undefined,
        }
      : await loadDicom(item, warnings);
  const checked = checkGeometry(loaded.volume, loaded.sourcePath, options.geometry);
  const volume = checked.volume;
  if (checked.repaired) warnings.push(checked.repaired);
  const replaced = checkFinite(volume, options.nonFinite, loaded.sourcePath);
  if (replaced > 0) warnings.push(`${replaced} NaN/Inf voxels set to 0`);

  const dir = path.join(stagedStudies, item.id);
  await writeFileAtomic(path.join(dir, IMAGE_FILE), await encodeVolumeFile(volume, { gzip: true }));
  if (loaded.reference) await writeDicomReference(dir, loaded.reference);
  const record: StudyRecord = {
    id: item.id,
    source: {
      kind: item.kind,
      path: loaded.sourcePath,
      importedAt: new Date().toISOString(),
      ...loaded.extra,
    },
    dims: volume.dims,
    spacingMm: volume.spacingMm,
    affine: volume.affine,
    geometry: volume.geometry,
    imageType: voxelTypeOf(volume.data),
    currentLabel: null,
    labelVersions: [],
  };
  if (item.kind === 'nifti' && item.labelPath) {
    const mask = await readVolumeFile(item.labelPath);
    if (checked.repaired) {
      // The image's geometry was rebuilt: the mask (same broken header) matches by grid.
      assertSameGrid(
        { dims: mask.dims, affine: volume.affine },
        volume,
        `Label ${item.labelPath}`,
        item.id,
      );
      warnings.push(`label ${path.basename(item.labelPath)} attached by its voxel grid`);
    } else {
      assertSameGrid(mask, volume, `Label ${item.labelPath}`, item.id);
    }
    const { data, voxelCounts } = checkLabelData(
      mask.data,
      options.labelValues,
      `Label ${item.labelPath}`,
    );
    const bytes = await encodeVolumeFile(
      { ...volume, data },
      { gzip: true, description: `simcvd label ${item.id} v0001` },
    );
    await writeFileAtomic(path.join(dir, LABELS_DIR, 'v0001.nii.gz'), bytes);
    record.currentLabel = 'v0001';
    record.labelVersions.push({
      id: 'v0001',
      createdAt: new Date().toISOString(),
      file: `${LABELS_DIR}/v0001.nii.gz`,
      provenance: { kind: 'import', sourcePath: path.resolve(item.labelPath) },
      voxelCounts,
      final: true,
    });
  }
  await writeRecordAtomic(path.join(dir, STUDY_FILE), studyRecordSchema, record);
  return {
    id: item.id,
    sourcePath: loaded.sourcePath,
    labeled: record.currentLabel !== null,
    warnings,
  };
}

async function loadDicom(item: Extract<ImportItem, { kind: 'dicom' }>, warnings: string[]) {
  const { volume, meta } = await loadDicomSeries(item.series);
  warnings.push(...meta.warnings);
  const origin = item.origin;
  return {
    volume,
    // A retrieved series' files are a download folder's, removed after the import.
    sourcePath: origin?.seriesUrl ?? path.dirname(path.resolve(item.series.files[0]!)),
    extra: {
      seriesInstanceUid: item.series.seriesInstanceUid,
      ...(meta.studyInstanceUid ? { studyInstanceUid: meta.studyInstanceUid } : {}),
      modality: meta.modality,
      description: meta.seriesDescription,
      ...(origin
        ? {
            dicomweb: {
              ...(origin.sourceId ? { sourceId: origin.sourceId } : {}),
              baseUrl: origin.baseUrl,
            },
          }
        : {}),
    },
    reference: meta.reference,
  };
}

/** Applies the NaN/Inf policy; returns how many voxels were replaced. */
function checkFinite(volume: Volume, policy: NonFinitePolicy, source: string): number {
  const data = volume.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return 0;
  let count = 0;
  for (let index = 0; index < data.length; index++) {
    if (!Number.isFinite(data[index]!)) {
      if (policy === 'reject') {
        throw new AppError(
          'BAD_INPUT',
          `${source} has NaN or infinite voxels (the first at voxel ${index}). Fix the file, or import with ` +
            '--replace-non-finite to set them to 0.',
        );
      }
      data[index] = 0;
      count++;
    }
  }
  return count;
}
