// Navigation and crosshair (renderer, Cornerstone): one crosshair point shared by the three
// views — jumping to a voxel, scrolling slices, resetting the cameras, dragging the crosshair
// with the navigate tool — and what each view shows (slice, edges) and where a voxel or world
// point falls on the page.
import { Enums as CoreEnums, type Types as CoreTypes } from '@cornerstonejs/core';
import { lpsToRas, rasToLps, rasToVoxel, voxelToRas, type Vec3 } from './geometry';
import type { PagePoint, SessionCore } from './sessionCore';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';
import { describeView, type ViewInfo } from './viewInfo';

export class Navigation {
  private crosshairLps: Vec3 = [0, 0, 0];
  /** The view the crosshair is being dragged in, while the left button is held. */
  private dragging: ViewportId | null = null;

  constructor(
    private readonly core: SessionCore,
    /** True while the left button belongs to the crosshair (the navigate tool). */
    private readonly crosshairTool: () => boolean,
  ) {
    for (const viewportId of VIEWPORT_IDS) {
      const element = core.elements[viewportId];
      core.listen<PointerEvent>(element, 'pointerdown', (event) => {
        if (this.crosshairTool() && event.button === 0 && core.study) {
          this.dragging = viewportId;
          this.moveCrosshair(viewportId, event);
        }
      });
      core.listen<PointerEvent>(element, 'pointermove', (event) => {
        if (this.dragging === viewportId) this.moveCrosshair(viewportId, event);
      });
      core.listen(element, CoreEnums.Events.CAMERA_MODIFIED, () =>
        this.onCameraModified(viewportId),
      );
    }
    const stop = () => {
      this.dragging = null;
    };
    core.listen(document, 'pointerup', stop, true);
    core.listen(document, 'pointercancel', stop, true);
    core.listen(window, 'blur', stop);
  }

  /** Fits every view and centres all three on the middle voxel of the volume. */
  reset(): void {
    const study = this.core.study;
    if (!study) return;
    for (const id of VIEWPORT_IDS) this.core.viewport(id).resetCamera();
    const centre = study.header.dims.map((n) => Math.floor((n - 1) / 2)) as Vec3;
    this.jumpToVoxel(centre);
  }

  /** Moves the crosshair, and every view's slice, to a file voxel. */
  jumpToVoxel(voxel: Vec3): void {
    const header = this.core.study?.header;
    if (!header) return;
    this.jumpToWorld(rasToLps(voxelToRas(header.affine, voxel)));
  }

  /** Moves the slice in view by `delta` slices; positive deltas raise the file slice index. */
  scroll(viewportId: ViewportId, delta: number): void {
    const info = this.viewInfo(viewportId);
    if (!info) return;
    this.core.viewport(viewportId).scroll(delta * info.sliceDirection);
  }

  /** Moves the views to file slice `index` along voxel `axis`, keeping the other coordinates. */
  showFileSlice(axis: 0 | 1 | 2, index: number): void {
    const header = this.core.study?.header;
    const voxel = this.crosshairVoxel();
    if (!header || !voxel) return;
    voxel[axis] = Math.min(header.dims[axis]! - 1, Math.max(0, Math.round(index)));
    this.jumpToVoxel(voxel);
  }

  /** The file voxel under the crosshair (rounded, inside the grid); null with no study. */
  crosshairVoxel(): Vec3 | null {
    const header = this.core.study?.header;
    if (!header) return null;
    return rasToVoxel(header.affine, lpsToRas(this.crosshairLps)).map((v, a) =>
      Math.min(header.dims[a]! - 1, Math.max(0, Math.round(v))),
    ) as Vec3;
  }

  /** Orientation, slice and crosshair of one view; null while no study is shown. */
  viewInfo(viewportId: ViewportId): ViewInfo | null {
    const header = this.core.study?.header;
    if (!header) return null;
    const viewport = this.core.viewport(viewportId);
    const camera = viewport.getCamera();
    const crosshair = viewport.worldToCanvas(this.crosshairLps as CoreTypes.Point3);
    return describeView(header, camera.viewUp as Vec3, camera.viewPlaneNormal as Vec3, {
      focalLps: camera.focalPoint as Vec3,
      crosshairCanvas: [crosshair[0], crosshair[1]],
    });
  }

  /** Which voxel axis a view looks along, for tools that work slice by slice. */
  sliceAxis(viewportId: ViewportId): 0 | 1 | 2 {
    return this.viewInfo(viewportId)?.sliceAxis ?? 2;
  }

  /** Page coordinates (CSS pixels) of a file voxel's centre in a view. */
  voxelToPage(viewportId: ViewportId, voxel: Vec3): { x: number; y: number } | null {
    const header = this.core.study?.header;
    if (!header) return null;
    return this.worldToPage(viewportId, voxelToRas(header.affine, voxel));
  }

  /** Page coordinates (CSS pixels) of a RAS+ point in a view. */
  worldToPage(viewportId: ViewportId, ras: Vec3): { x: number; y: number } | null {
    if (!this.core.study) return null;
    const lps = rasToLps(ras);
    const [x, y] = this.core.viewport(viewportId).worldToCanvas(lps as CoreTypes.Point3);
    const rect = this.core.elements[viewportId].getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }

  private jumpToWorld(lps: Vec3, except?: ViewportId): void {
    this.crosshairLps = lps;
    for (const id of VIEWPORT_IDS) {
      if (id !== except) this.core.viewport(id).jumpToWorld(lps as CoreTypes.Point3);
    }
    this.core.engine.render();
    this.core.emit({ type: 'views' });
  }

  private moveCrosshair(viewportId: ViewportId, point: PagePoint): void {
    this.jumpToWorld(this.core.pageToWorld(viewportId, point), viewportId);
  }

  private onCameraModified(viewportId: ViewportId): void {
    if (!this.core.study) return;
    // Keep the crosshair on every view's slice plane: move it along this view's normal.
    const camera = this.core.viewport(viewportId).getCamera();
    const normal = camera.viewPlaneNormal as Vec3;
    const focal = camera.focalPoint as Vec3;
    const c = this.crosshairLps;
    const offset =
      (focal[0] - c[0]) * normal[0] + (focal[1] - c[1]) * normal[1] + (focal[2] - c[2]) * normal[2];
    this.crosshairLps = c.map((x, a) => x + normal[a]! * offset) as Vec3;
    this.core.emit({ type: 'views' });
  }
}
