// Enhanced multi-frame functional groups (plain Node): an Enhanced MR/CT file keeps each
// frame's position, orientation, pixel spacing and rescale in the Per-frame Functional Groups
// Sequence (5200,9230), and what all frames share in the Shared one (5200,9229). Read here
// into one small record per frame.
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../volume';

export interface FrameFunctionalGroup {
  imagePositionPatient?: Vec3;
  imageOrientationPatient?: [number, number, number, number, number, number];
  pixelSpacingMm?: [number, number];
  sliceThicknessMm?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
}

const PER_FRAME = 'x52009230';
const SHARED = 'x52009229';
const PLANE_POSITION = 'x00209113';
const PLANE_ORIENTATION = 'x00209116';
const PIXEL_MEASURES = 'x00289110';
const PIXEL_VALUE_TRANSFORMATION = 'x00289145';

function numbersOf(ds: DataSet | undefined, tag: string, count: number): number[] | undefined {
  const raw = ds?.string(tag);
  if (!raw) return undefined;
  const values = raw.split('\\').map((v) => Number(v.replace(/\0/g, '').trim()));
  return values.length >= count && values.slice(0, count).every(Number.isFinite)
    ? values.slice(0, count)
    : undefined;
}

/** The data set of the first item of a sequence, if any. */
function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

function groupOf(item: DataSet | undefined): FrameFunctionalGroup {
  const position = numbersOf(firstItem(item, PLANE_POSITION), 'x00200032', 3);
  const orientation = numbersOf(firstItem(item, PLANE_ORIENTATION), 'x00200037', 6);
  const measures = firstItem(item, PIXEL_MEASURES);
  const spacing = numbersOf(measures, 'x00280030', 2);
  const thickness = numbersOf(measures, 'x00180050', 1);
  const transform = firstItem(item, PIXEL_VALUE_TRANSFORMATION);
  const slope = numbersOf(transform, 'x00281053', 1);
  const intercept = numbersOf(transform, 'x00281052', 1);
  return {
    ...(position ? { imagePositionPatient: position as Vec3 } : {}),
    ...(orientation
      ? { imageOrientationPatient: orientation as FrameFunctionalGroup['imageOrientationPatient'] }
      : {}),
    ...(spacing ? { pixelSpacingMm: spacing as [number, number] } : {}),
    ...(thickness ? { sliceThicknessMm: thickness[0] } : {}),
    ...(slope ? { rescaleSlope: slope[0] } : {}),
    ...(intercept ? { rescaleIntercept: intercept[0] } : {}),
  };
}

/** The per-frame and shared groups of an enhanced multi-frame data set (empty otherwise). */
export function readFunctionalGroups(ds: DataSet): {
  perFrameGroups?: FrameFunctionalGroup[];
  sharedGroups?: FrameFunctionalGroup;
} {
  const perFrame = ds.elements[PER_FRAME]?.items;
  if (!perFrame?.length) return {};
  return {
    perFrameGroups: perFrame.map((item) => groupOf(item.dataSet)),
    sharedGroups: groupOf(firstItem(ds, SHARED) ?? undefined),
  };
}
