// Per-file and per-series checks before stacking (plain Node): is each file a greyscale,
// single-frame image, and do all slices of a series share one grid and orientation?
import { AppError } from '../../errors';
import { multiFrameProblem } from './frames';
import type { DicomHeader } from './header';

const ORIENTATION_TOLERANCE = 1e-4;
const SPACING_RELATIVE_TOLERANCE = 1e-3;

/** Why a file cannot be a slice of a volume, or undefined when it can. */
export function unsupportedImageReason(header: DicomHeader): string | undefined {
  if (header.hasFloatPixelData) return 'float pixel data (parametric map) is not supported';
  if (!header.hasPixelData) return 'it holds no image (no Pixel Data)';
  const multiFrame = multiFrameProblem(header);
  if (multiFrame) return multiFrame;
  if (header.image.samplesPerPixel !== 1) {
    return `colour images (SamplesPerPixel = ${header.image.samplesPerPixel}, ${header.photometricInterpretation}) are not supported`;
  }
  if (header.photometricInterpretation === 'PALETTE COLOR')
    return 'palette-colour images are not supported';
  if (![8, 16, 32].includes(header.image.bitsAllocated)) {
    return `BitsAllocated = ${header.image.bitsAllocated} is not supported (only 8, 16 and 32)`;
  }
  if (header.image.rows === 0 || header.image.columns === 0) return 'Rows or Columns is missing';
  return undefined;
}

export function requireVolumeSlice(header: DicomHeader, label: string): void {
  const reason = unsupportedImageReason(header);
  if (reason)
    throw new AppError('UNSUPPORTED', `${label} cannot be imported as a volume slice: ${reason}.`);
}

const closeAll = (
  a: number[] | undefined,
  b: number[] | undefined,
  tolerance: (x: number) => number,
) =>
  a === undefined || b === undefined
    ? a === b
    : a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= tolerance(x));

interface Attribute {
  name: string;
  show: (h: DicomHeader) => string;
  same: (a: DicomHeader, b: DicomHeader) => boolean;
}

const ATTRIBUTES: Attribute[] = [
  {
    name: 'SeriesInstanceUID',
    show: (h) => h.seriesInstanceUid,
    same: (a, b) => a.seriesInstanceUid === b.seriesInstanceUid,
  },
  {
    name: 'Rows',
    show: (h) => String(h.image.rows),
    same: (a, b) => a.image.rows === b.image.rows,
  },
  {
    name: 'Columns',
    show: (h) => String(h.image.columns),
    same: (a, b) => a.image.columns === b.image.columns,
  },
  {
    name: 'BitsAllocated',
    show: (h) => String(h.image.bitsAllocated),
    same: (a, b) => a.image.bitsAllocated === b.image.bitsAllocated,
  },
  {
    name: 'ImageOrientationPatient',
    show: (h) => `[${h.imageOrientationPatient?.join(', ') ?? 'absent'}]`,
    same: (a, b) =>
      closeAll(a.imageOrientationPatient, b.imageOrientationPatient, () => ORIENTATION_TOLERANCE),
  },
  {
    name: 'PixelSpacing',
    show: (h) => `[${h.pixelSpacingMm?.join(', ') ?? 'absent'}]`,
    same: (a, b) =>
      closeAll(a.pixelSpacingMm, b.pixelSpacingMm, (x) => SPACING_RELATIVE_TOLERANCE * Math.abs(x)),
  },
];

/** Throws UNSUPPORTED naming the first attribute that differs between slices. */
export function checkSeriesConsistency(headers: DicomHeader[], labels: string[]): void {
  const first = headers[0]!;
  for (let s = 1; s < headers.length; s++) {
    for (const attribute of ATTRIBUTES) {
      if (attribute.same(first, headers[s]!)) continue;
      throw new AppError(
        'UNSUPPORTED',
        `The slices do not form one volume: ${attribute.name} is ${attribute.show(first)} in ${labels[0]} ` +
          `but ${attribute.show(headers[s]!)} in ${labels[s]}. Split the series or remove the odd files.`,
      );
    }
  }
}
