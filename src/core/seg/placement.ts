// Placing a SEG's frames on a study grid (pure): each frame must lie in one of the study's
// slices — same orientation, same pixel grid, its origin on a slice's first voxel — or the
// SEG is refused with the frame and the difference that rule it out. No resampling: a SEG
// drawn on other slices is not silently moved onto these.
import { applyAffine, invertAffine } from '../volume/geometry';
import type { Mat4, Vec3 } from '../volume/volume';
import type { ParsedSeg } from './read';

export interface StudyGrid {
  dims: Vec3;
  /** Voxel → RAS mm. */
  affine: Mat4;
}

/** Slice k of each frame, or why the frames do not lie on the grid. */
export type Placement =
  { slices: number[]; reason?: undefined } | { slices?: undefined; reason: string };

/** In voxels: how far a frame's origin may sit from a voxel centre (DS rounding and the like). */
const POSITION_TOLERANCE = 0.1;
const DIRECTION_TOLERANCE = 1e-3;
const SPACING_TOLERANCE = 1e-3;

const lpsToRas = (p: Vec3): Vec3 => [-p[0], -p[1], p[2]];
const mm = (p: Vec3) => `(${p.map((x) => Number(x.toFixed(2))).join(', ')}) mm`;

/** The unit direction and length of affine column `c`, in LPS. */
function axis(affine: Mat4, c: number): { dir: Vec3; length: number } {
  const v: Vec3 = [-affine[c]!, -affine[4 + c]!, affine[8 + c]!];
  const length = Math.hypot(...v);
  return { dir: [v[0] / length, v[1] / length, v[2] / length], length };
}

const close = (a: Vec3, b: number[]) =>
  a.every((x, i) => Math.abs(x - b[i]!) <= DIRECTION_TOLERANCE);

export function placeFrames(seg: ParsedSeg, grid: StudyGrid): Placement {
  const [nx, ny, nz] = grid.dims;
  if (seg.columns !== nx || seg.rows !== ny)
    return {
      reason: `its frames are ${seg.columns}×${seg.rows} pixels but the study's slices are ${nx}×${ny}`,
    };
  const row = axis(grid.affine, 0);
  const col = axis(grid.affine, 1);
  if (seg.pixelSpacingMm) {
    const [betweenRows, betweenColumns] = seg.pixelSpacingMm;
    const off = (a: number, b: number) => Math.abs(a - b) > SPACING_TOLERANCE * Math.max(a, b);
    if (off(betweenColumns, row.length) || off(betweenRows, col.length))
      return {
        reason: `its pixel spacing ${betweenRows}×${betweenColumns} mm differs from the study's ${col.length.toFixed(4)}×${row.length.toFixed(4)} mm`,
      };
  }
  const inverse = invertAffine(grid.affine);
  const slices: number[] = [];
  for (const [f, frame] of seg.frames.entries()) {
    const o = frame.orientationLps;
    if (!close(row.dir, o.slice(0, 3)) || !close(col.dir, o.slice(3, 6)))
      return {
        reason:
          `frame ${f + 1} is oriented [${o.map((x) => Number(x.toFixed(4))).join(', ')}] but the study's slices ` +
          `[${[...row.dir, ...col.dir].map((x) => Number(x.toFixed(4))).join(', ')}]`,
      };
    const [i, j, k] = applyAffine(inverse, lpsToRas(frame.positionLps));
    const slice = Math.round(k);
    if (
      Math.abs(i) > POSITION_TOLERANCE ||
      Math.abs(j) > POSITION_TOLERANCE ||
      Math.abs(k - slice) > POSITION_TOLERANCE
    )
      return {
        reason: `frame ${f + 1} at ${mm(frame.positionLps)} is not on a slice of the study (it falls at voxel ${[i, j, k].map((x) => x.toFixed(2)).join(', ')})`,
      };
    if (slice < 0 || slice >= nz)
      return {
        reason: `frame ${f + 1} at ${mm(frame.positionLps)} lies outside the study's ${nz} slices`,
      };
    slices.push(slice);
  }
  return { slices };
}
