// The shape of window.__simcvd (renderer, types only): shared with the browser tests, which
// compile without the DOM library, so this file must not import the viewer itself.
import type { Vec3 } from './geometry';
import type { ViewportId } from './toolIds';

export interface SimcvdTestHooks {
  voxelToPage(viewportId: ViewportId, voxel: Vec3): { x: number; y: number } | null;
  /** Page coordinates of a RAS+ world point (mm) in a view. */
  worldToPage(viewportId: ViewportId, ras: Vec3): { x: number; y: number } | null;
  /** Voxels per label value in the labelmap on screen (background omitted). */
  labelCounts(): Record<string, number>;
  /** Labeled voxels per file slice along voxel axis 0 (i), 1 (j) or 2 (k); empty slices omitted. */
  sliceCounts(axis: 0 | 1 | 2): Record<string, number>;
  /** Labeled voxels [i, j, k, value] on one file slice. */
  sliceVoxels(axis: 0 | 1 | 2, index: number): [number, number, number, number][];
  studyId(): string | undefined;
  /** How the labelmap is drawn (a proposal under review looks different) and whether the
   *  uncertainty overlay and a proposal's reference outline are on the views. */
  reviewLayers(): { labelmapMode: 'human' | 'proposal'; uncertainty: boolean; reference: boolean };
  /** performance.now() of the last change to the open labelmap (any tool), or 0. */
  labelmapChangedAt(): number;
}
