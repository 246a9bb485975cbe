// nibabel as the independent reader of label files in the browser tests (Node → Debian's
// /usr/bin/python3 running test/reference/ui_label_voxels.py).
import { execFileSync } from 'node:child_process';

export interface NiftiLabel {
  path: string;
  shape: number[];
  dtype: string;
  /** 4×4 rows, voxel → RAS+ mm, as nibabel computes it from the header. */
  affine: number[][];
  /** Non-zero voxels as [i, j, k, value] (plus the image intensity there, when asked for). */
  voxels: [number, number, number, number, number?][];
}

export function readLabels(...files: string[]): NiftiLabel[] {
  return runReader(files);
}

/** Label voxels with the intensity of `image` at each of them. */
export function readLabelsWithIntensity(label: string, image: string): NiftiLabel {
  return runReader(['--image', image, label])[0]!;
}

/** Shape, dtype and affine only (for images, whose voxels are not needed). */
export function readHeader(file: string): NiftiLabel {
  return runReader(['--no-voxels', file])[0]!;
}

function runReader(args: string[]): NiftiLabel[] {
  const out = execFileSync('/usr/bin/python3', ['test/reference/ui_label_voxels.py', ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as NiftiLabel[];
}

export function voxelToWorld(affine: number[][], [i, j, k]: number[]): [number, number, number] {
  const row = (r: number) =>
    affine[r]![0]! * i! + affine[r]![1]! * j! + affine[r]![2]! * k! + affine[r]![3]!;
  return [row(0), row(1), row(2)];
}
