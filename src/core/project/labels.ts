// Label-mask checks and conversion (pure): a mask must sit on its image's voxel grid and hold
// only values of the project's label set; it is stored as uint8.
import { AppError } from '../errors';
import { affinesClose } from '../volume/geometry';
import type { Mat4, Vec3, VoxelArray } from '../volume/volume';

export interface GridLike {
  dims: Vec3;
  affine: Mat4;
}

/** Refuses a mask whose grid differs from the image's (dims, or voxel-to-world mapping). */
export function assertSameGrid(
  mask: GridLike,
  image: GridLike,
  what: string,
  studyId: string,
): void {
  const sameDims = mask.dims.every((n, axis) => n === image.dims[axis]);
  if (!sameDims) {
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${what} has ${mask.dims.join('×')} voxels but study "${studyId}" has ${image.dims.join('×')}. ` +
        'Resample the mask onto the study image grid before attaching it.',
    );
  }
  // 1e-3 relative (about a micrometre) absorbs float32 header rounding, nothing real.
  if (!affinesClose(mask.affine, image.affine, 1e-3)) {
    throw new AppError(
      'GEOMETRY_MISMATCH',
      `${what} has the same size as study "${studyId}" but a different position/orientation ` +
        `(mask affine ${formatAffine(mask.affine)} vs image ${formatAffine(image.affine)}). ` +
        'It was probably drawn on another image or resampled; attach a mask saved on this image.',
    );
  }
}

function formatAffine(m: Mat4): string {
  return `[${m
    .slice(0, 12)
    .map((x) => Number(x.toFixed(3)))
    .join(', ')}]`;
}

/** A label mask as stored: uint8 voxels and how many voxels each non-zero value has. */
export interface CheckedLabel {
  data: Uint8Array;
  voxelCounts: Record<string, number>;
}

/**
 * Converts mask voxels to uint8 and counts them, refusing non-integers and values outside the
 * label set. A uint8 mask (a drawn one) takes one counting pass and is not copied: it is the
 * hot path of every save from the app.
 */
export function checkLabelData(
  data: VoxelArray,
  allowedValues: number[],
  what: string,
): CheckedLabel {
  const allowed = new Uint8Array(256);
  allowed[0] = 1;
  for (const v of allowedValues) allowed[v] = 1;
  const refuse = (v: number, index: number): never => {
    throw new AppError(
      'BAD_INPUT',
      `${what} has value ${v} at voxel ${index}; allowed label values are 0 (background) and ` +
        `${allowedValues.join(', ')}. Add the label to the project's label set or fix the mask.`,
    );
  };
  const counts = new Float64Array(256);
  let out: Uint8Array;
  if (data instanceof Uint8Array) {
    for (let index = 0; index < data.length; index++) counts[data[index]!]++;
    for (let v = 1; v < 256; v++) if (counts[v]! > 0 && !allowed[v]) refuse(v, data.indexOf(v));
    out = data;
  } else {
    out = new Uint8Array(data.length);
    for (let index = 0; index < data.length; index++) {
      const v = data[index]!;
      if (!Number.isInteger(v) || v < 0 || v > 255 || !allowed[v]) refuse(v, index);
      out[index] = v;
      counts[v]++;
    }
  }
  const voxelCounts: Record<string, number> = {};
  for (let v = 1; v < 256; v++) if (counts[v]! > 0) voxelCounts[String(v)] = counts[v]!;
  return { data: out, voxelCounts };
}
