// The one in-memory 3-D volume type (plain Node and browser-safe: no I/O here).
//
// Conventions (documented in docs/ARCHITECTURE.md):
// - Voxel order: index i (x) varies fastest, then j (y), then k (z) — NIfTI/Fortran order.
//   Linear index = i + nx * (j + ny * k).
// - `affine` maps voxel indices (i, j, k, 1) to world millimetres in RAS+ (NIfTI convention:
//   +x Right, +y Anterior, +z Superior). Row-major 4x4: world = affine · [i j k 1]ᵀ.
//   DICOM's LPS is converted to RAS on import (negate the first two rows).
// - `spacingMm` is the length of each affine column (voxel size along i, j, k).
// - `geometry` keeps the NIfTI sform/qform fields exactly as read, so a mask written on this
//   image carries the same header geometry bit for bit.

export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export type VoxelType =
  'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export type Vec3 = [number, number, number];
/** Row-major 4x4 matrix, 16 numbers. */
export type Mat4 = number[];

/** The NIfTI spatial header fields, kept verbatim so geometry round-trips exactly. */
export interface NiftiGeometry {
  qformCode: number;
  sformCode: number;
  /** quatern_b, quatern_c, quatern_d */
  quatern: Vec3;
  /** qoffset_x, qoffset_y, qoffset_z */
  qoffset: Vec3;
  /** pixdim[0] (qfac, ±1) */
  qfac: number;
  /** pixdim[1..3] */
  pixdim: Vec3;
  /** srow_x, srow_y, srow_z as a row-major 3x4 (12 numbers) */
  srow: number[];
  /** xyzt_units byte */
  xyztUnits: number;
}

export interface Volume {
  dims: Vec3;
  spacingMm: Vec3;
  affine: Mat4;
  data: VoxelArray;
  geometry: NiftiGeometry;
}

export function voxelTypeOf(data: VoxelArray): VoxelType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

export function voxelCount(dims: Vec3): number {
  return dims[0] * dims[1] * dims[2];
}
