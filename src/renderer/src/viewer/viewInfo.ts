// What a view overlay shows (renderer, pure): orientation letters for the four edges, which
// file slice is in view, and where the crosshair falls.
import type { VolumeHeader } from '../../../shared/contract/volume';
import { lpsToRas, rasToVoxel, viewEdges, type Vec3, type ViewEdges } from './geometry';

/** A file slice: voxel axis (0 = i, 1 = j, 2 = k) and 0-based index along it. */
export interface FileSlice {
  axis: 0 | 1 | 2;
  index: number;
}

export interface ViewInfo {
  edges: ViewEdges;
  /** The voxel axis (0 = i, 1 = j, 2 = k) the view looks along. */
  sliceAxis: 0 | 1 | 2;
  /** 0-based file slice index along `sliceAxis` at the view's plane. */
  sliceIndex: number;
  sliceCount: number;
  /** +1 when moving along the view normal increases the slice index, else −1. */
  sliceDirection: 1 | -1;
  crosshairCanvas: [number, number];
}

export function describeView(
  header: Pick<VolumeHeader, 'affine' | 'dims'>,
  viewUp: Vec3,
  viewPlaneNormal: Vec3,
  at: { focalLps: Vec3; crosshairCanvas: [number, number] },
): ViewInfo {
  const focal = rasToVoxel(header.affine, lpsToRas(at.focalLps));
  const ahead = rasToVoxel(
    header.affine,
    lpsToRas(at.focalLps.map((x, a) => x + viewPlaneNormal[a]!) as Vec3),
  );
  const along = ahead.map((x, a) => x - focal[a]!);
  const magnitudes = along.map(Math.abs);
  const sliceAxis = magnitudes.indexOf(Math.max(...magnitudes)) as 0 | 1 | 2;
  return {
    edges: viewEdges(viewUp, viewPlaneNormal),
    sliceAxis,
    sliceIndex: Math.round(focal[sliceAxis]!),
    sliceCount: header.dims[sliceAxis]!,
    sliceDirection: along[sliceAxis]! >= 0 ? 1 : -1,
    crosshairCanvas: at.crosshairCanvas,
  };
}

/** "Slice 39 of 0–63 (k)": 0-based file indices, as the CLI, nibabel and the readout count. */
export function describeSlice(index: number, count: number, axis: 0 | 1 | 2): string {
  return `Slice ${index} of 0–${count - 1} (${'ijk'[axis]})`;
}
