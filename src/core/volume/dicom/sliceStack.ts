// Slice stacking geometry (pure, plain Node): orders single-frame slices along the slice
// normal, checks that they form one evenly spaced stack (no gap, no duplicate, no shear) and
// builds the voxel -> LPS affine; lpsToRas turns it into the RAS affine a Volume carries.
import { AppError } from '../../errors';
import type { Mat4, Vec3 } from '../volume';

export interface SlicePlacement {
  /** LPS mm; absent in some secondary-capture/CR files. */
  imagePositionPatient?: Vec3;
  imageOrientationPatient?: number[];
  instanceNumber?: number;
  /** For messages only. */
  label: string;
}

export interface StackGeometry {
  /** Indices into the input, in volume (k) order. */
  order: number[];
  sliceSpacingMm: number;
  affineLps: Mat4;
  warnings: string[];
}

/** Positions closer than this along the normal are "the same position". */
const DUPLICATE_TOLERANCE_MM = 0.01;
/** Allowed deviation of one step from the typical step, relative and absolute. */
const SPACING_RELATIVE_TOLERANCE = 0.01;
const SPACING_ABSOLUTE_TOLERANCE_MM = 0.005;
/** Allowed in-plane drift of slice origins, as a fraction of the smallest pixel spacing. */
const SHEAR_TOLERANCE_PIXELS = 0.1;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const unit = (a: Vec3): Vec3 => scale(a, 1 / (Math.hypot(...a) || 1));
const mm = (x: number) => `${Number(x.toFixed(3))} mm`;

function describe(slice: SlicePlacement, positionMm: number): string {
  const instance =
    slice.instanceNumber !== undefined ? `instance ${slice.instanceNumber}` : 'no instance number';
  return `${slice.label} (${instance}, at ${mm(positionMm)})`;
}

/** Row cosine, column cosine and their normal, validated and normalised. */
export function orientationAxes(iop: number[], label: string): [Vec3, Vec3, Vec3] {
  const row = unit([iop[0]!, iop[1]!, iop[2]!]);
  const col = unit([iop[3]!, iop[4]!, iop[5]!]);
  if (Math.abs(dot(row, col)) > 1e-3 || !iop.slice(0, 6).every(Number.isFinite)) {
    throw new AppError(
      'CORRUPT_FILE',
      `${label}: ImageOrientationPatient [${iop.join(', ')}] does not hold two perpendicular directions.`,
    );
  }
  return [row, col, unit(cross(row, col))];
}

export function affineFromAxes(
  row: Vec3,
  col: Vec3,
  normal: Vec3,
  pixelSpacingMm: [number, number],
  sliceSpacingMm: number,
  origin: Vec3,
): Mat4 {
  // i follows the row cosine (next column, PixelSpacing[1]); j the column cosine (next row).
  const ci = scale(row, pixelSpacingMm[1]);
  const cj = scale(col, pixelSpacingMm[0]);
  const ck = scale(normal, sliceSpacingMm);
  // prettier-ignore
  return [
    ci[0], cj[0], ck[0], origin[0],
    ci[1], cj[1], ck[1], origin[1],
    ci[2], cj[2], ck[2], origin[2],
    0, 0, 0, 1,
  ];
}

/** DICOM patient space is LPS; RAS flips the sign of x and y. */
export function lpsToRas(affine: Mat4): Mat4 {
  return affine.map((v, idx) => (idx < 8 ? (v === 0 ? 0 : -v) : v));
}

function singleSlice(
  slice: SlicePlacement,
  pixelSpacingMm: [number, number],
  thicknessMm: number | undefined,
): StackGeometry {
  const warnings: string[] = [];
  let iop = slice.imageOrientationPatient;
  if (!iop) {
    warnings.push(`${slice.label} has no ImageOrientationPatient; assumed axial (1,0,0 / 0,1,0).`);
    iop = [1, 0, 0, 0, 1, 0];
  }
  const origin = slice.imagePositionPatient ?? [0, 0, 0];
  if (!slice.imagePositionPatient)
    warnings.push(`${slice.label} has no ImagePositionPatient; assumed 0,0,0.`);
  const spacing = thicknessMm !== undefined && thicknessMm > 0 ? thicknessMm : 1;
  if (spacing !== thicknessMm)
    warnings.push(`${slice.label} has no SliceThickness; slice spacing set to 1 mm.`);
  const [row, col, normal] = orientationAxes(iop, slice.label);
  return {
    order: [0],
    sliceSpacingMm: spacing,
    affineLps: affineFromAxes(row, col, normal, pixelSpacingMm, spacing, origin),
    warnings,
  };
}

function typicalStep(steps: number[]): number {
  const sorted = [...steps].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function checkSteps(slices: SlicePlacement[], order: number[], positions: number[]): void {
  const steps = positions.slice(1).map((p, m) => p - positions[m]!);
  const at = (m: number) => describe(slices[order[m]!]!, positions[m]!);
  steps.forEach((step, m) => {
    if (step < DUPLICATE_TOLERANCE_MM) {
      throw new AppError(
        'UNSUPPORTED',
        `Two slices lie at the same position: ${at(m)} and ${at(m + 1)}. The series holds duplicated ` +
          'files or several volumes (echoes, phases, time points); remove the duplicates or split the series.',
      );
    }
  });
  const typical = typicalStep(steps);
  const tolerance = Math.max(SPACING_ABSOLUTE_TOLERANCE_MM, SPACING_RELATIVE_TOLERANCE * typical);
  steps.forEach((step, m) => {
    if (Math.abs(step - typical) <= tolerance) return;
    const multiple = Math.round(step / typical);
    if (multiple >= 2 && Math.abs(step - multiple * typical) <= tolerance * multiple) {
      throw new AppError(
        'CORRUPT_FILE',
        `Missing slice: ${mm(step)} between ${at(m)} and ${at(m + 1)} where the other slices are ` +
          `${mm(typical)} apart, so ${multiple - 1} slice(s) are missing there. Import the complete series.`,
      );
    }
    throw new AppError(
      'UNSUPPORTED',
      `Uneven slice spacing: ${mm(step)} between ${at(m)} and ${at(m + 1)}, but ${mm(typical)} ` +
        'between most slices. Volumes with variable slice spacing cannot be imported.',
    );
  });
}

function checkShear(
  slices: SlicePlacement[],
  order: number[],
  normal: Vec3,
  pixelSpacingMm: [number, number],
): void {
  const first = slices[order[0]!]!.imagePositionPatient!;
  const limit = SHEAR_TOLERANCE_PIXELS * Math.min(pixelSpacingMm[0], pixelSpacingMm[1]);
  for (const index of order) {
    const offset = sub(slices[index]!.imagePositionPatient!, first);
    const inPlane = sub(offset, scale(normal, dot(offset, normal)));
    if (Math.hypot(...inPlane) > limit) {
      throw new AppError(
        'UNSUPPORTED',
        `Slice origins drift sideways by ${mm(Math.hypot(...inPlane))} at ${slices[index]!.label}: ` +
          'the stack is sheared (gantry tilt?), which cannot be represented without resampling.',
      );
    }
  }
}

export function stackSlices(
  slices: SlicePlacement[],
  pixelSpacingMm: [number, number],
  singleSliceThicknessMm?: number,
): StackGeometry {
  if (slices.length === 1) return singleSlice(slices[0]!, pixelSpacingMm, singleSliceThicknessMm);
  const lacking = slices.find((s) => !s.imagePositionPatient || !s.imageOrientationPatient);
  if (lacking) {
    throw new AppError(
      'UNSUPPORTED',
      `${lacking.label} has no ImagePositionPatient/ImageOrientationPatient, so the slices cannot be stacked.`,
    );
  }
  const [row, col, normal] = orientationAxes(slices[0]!.imageOrientationPatient!, slices[0]!.label);
  const projections = slices.map((s) => dot(s.imagePositionPatient!, normal));
  const order = slices
    .map((_, index) => index)
    .sort(
      (a, b) =>
        projections[a]! - projections[b]! ||
        (slices[a]!.instanceNumber ?? 0) - (slices[b]!.instanceNumber ?? 0),
    );
  const positions = order.map((index) => projections[index]!);
  checkSteps(slices, order, positions);
  checkShear(slices, order, normal, pixelSpacingMm);
  const spacing = (positions[positions.length - 1]! - positions[0]!) / (positions.length - 1);
  const origin = slices[order[0]!]!.imagePositionPatient!;
  return {
    order,
    sliceSpacingMm: spacing,
    affineLps: affineFromAxes(row, col, normal, pixelSpacingMm, spacing, origin),
    warnings: [],
  };
}
