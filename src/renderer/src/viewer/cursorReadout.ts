// The cursor readout (renderer, Cornerstone): the file voxel, its intensity and label and the
// RAS position under the pointer, reported as 'cursor' events while the pointer moves over a
// view — and again when the slice under a resting pointer changes (keyboard, wheel).
import { Enums as CoreEnums } from '@cornerstonejs/core';
import { lpsToRas, rasToVoxel, type Vec3 } from './geometry';
import type { LabelLayer } from './labelLayer';
import type { PagePoint, SessionCore } from './sessionCore';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';

export interface CursorReadout {
  viewportId: ViewportId;
  /** File voxel indices (i, j, k) under the cursor. */
  voxel: Vec3;
  /** RAS+ millimetres. */
  worldRas: Vec3;
  value: number;
  label: number;
}

export class CursorTracker {
  /** Where the pointer last was, so the readout follows slice changes made from the keyboard. */
  private lastPointer: ({ viewportId: ViewportId } & PagePoint) | null = null;

  constructor(
    private readonly core: SessionCore,
    private readonly labels: Pick<LabelLayer, 'labelAt'>,
  ) {
    for (const viewportId of VIEWPORT_IDS) {
      const element = core.elements[viewportId];
      core.listen<PointerEvent>(element, 'pointermove', (event) => {
        this.lastPointer = { viewportId, clientX: event.clientX, clientY: event.clientY };
        core.emit({ type: 'cursor', readout: this.readoutAt(viewportId, event) });
      });
      core.listen(element, 'pointerleave', () => {
        this.lastPointer = null;
        core.emit({ type: 'cursor', readout: null });
      });
      core.listen(element, CoreEnums.Events.CAMERA_MODIFIED, () => {
        if (this.core.study && this.lastPointer?.viewportId === viewportId) {
          core.emit({ type: 'cursor', readout: this.readoutAt(viewportId, this.lastPointer) });
        }
      });
    }
  }

  /** What lies under a page point in a view; null outside the volume or with no study. */
  readoutAt(viewportId: ViewportId, point: PagePoint): CursorReadout | null {
    const study = this.core.study;
    if (!study) return null;
    const { header, image } = study;
    const worldRas = lpsToRas(this.core.pageToWorld(viewportId, point));
    const voxel = rasToVoxel(header.affine, worldRas).map(Math.round) as Vec3;
    if (voxel.some((v, a) => v < 0 || v >= header.dims[a]!)) return null;
    const [nx, ny] = header.dims;
    return {
      viewportId,
      voxel,
      worldRas,
      value: image[voxel[0] + nx * (voxel[1] + ny * voxel[2])]!,
      label: this.labels.labelAt(voxel),
    };
  }
}
