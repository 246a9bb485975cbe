// The viewer session (renderer): three orthogonal Cornerstone views of one study with its
// labelmap. Owns the rendering engine and tool group; reports edits as voxel diffs so the
// editor can undo, redo and autosave them. The only stateful Cornerstone code in the app.
import {
  Enums as CoreEnums,
  eventTarget,
  RenderingEngine,
  setVolumesForViewports,
  type Types as CoreTypes,
} from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  segmentation,
  ToolGroupManager,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { VolumeHeader } from '../../../shared/contract/volume';
import { ensureCornerstone } from './cornerstoneSetup';
import { lpsToRas, rasToLps, rasToVoxel, reorderSlices, voxelToRas, type Vec3 } from './geometry';
import type { LabelDiff } from './labelDiff';
import { LabelEditTracker } from './labelEdits';
import { applyLabelmapMode, UncertaintyLayer, type LabelmapMode } from './reviewLayers';
import { createStudyVolumes, releaseStudyVolumes, type StudyVolumes } from './studyVolume';
import { activateTool, applyBrushSettings, createToolGroup, type BrushSettings } from './toolGroup';
import { VIEWPORT_IDS, type ToolId, type ViewportId } from './toolIds';
import { describeView, type ViewInfo } from './viewInfo';

let sessionSerial = 0;
const ORIENTATION: Record<ViewportId, CoreEnums.OrientationAxis> = {
  axial: CoreEnums.OrientationAxis.AXIAL,
  sagittal: CoreEnums.OrientationAxis.SAGITTAL,
  coronal: CoreEnums.OrientationAxis.CORONAL,
};
const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

export interface LabelAppearance {
  value: number;
  /** CSS hex colour. */
  color: string;
  visible: boolean;
  /** 0..1 */
  opacity: number;
}

export interface CursorReadout {
  viewportId: ViewportId;
  /** File voxel indices (i, j, k) under the cursor. */
  voxel: Vec3;
  /** RAS+ millimetres. */
  worldRas: Vec3;
  value: number;
  label: number;
}

export type SessionEvent =
  | { type: 'edited'; diff: LabelDiff }
  | { type: 'cursor'; readout: CursorReadout | null }
  | { type: 'views' }
  | { type: 'window'; lower: number; upper: number };

export interface StudyData {
  header: VolumeHeader;
  image: ArrayBuffer;
  /** uint8 labels in file order, or null for an empty labelmap. */
  labels: Uint8Array | null;
}

type ImageArray = Uint8Array | Int16Array | Uint16Array | Float32Array;

function typedFileImage(header: VolumeHeader, data: ArrayBuffer): ImageArray {
  if (header.dataType === 'uint8') return new Uint8Array(data);
  if (header.dataType === 'int16') return new Int16Array(data);
  if (header.dataType === 'uint16') return new Uint16Array(data);
  return new Float32Array(data);
}

function hexToRgb(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export class ViewerSession {
  private readonly engine: RenderingEngine;
  private readonly group: ToolTypes.IToolGroup;
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private readonly cleanups: (() => void)[] = [];
  private volumes: StudyVolumes | undefined;
  private header: VolumeHeader | undefined;
  private image: ImageArray | undefined;
  private edits: LabelEditTracker | undefined;
  private crosshairLps: Vec3 = [0, 0, 0];
  private tool: ToolId = 'navigate';
  private pointerDown = false;
  private navigating: ViewportId | null = null;
  private syncingWindow = false;
  /** Where the pointer last was, so the readout follows slice changes made from the keyboard. */
  private lastPointer: { viewportId: ViewportId; clientX: number; clientY: number } | null = null;
  private appearance: LabelAppearance[] = [];
  private activeLabel = 1;
  private uncertainty: UncertaintyLayer | undefined;
  private mode: LabelmapMode = 'human';

  static async create(elements: Record<ViewportId, HTMLDivElement>): Promise<ViewerSession> {
    await ensureCornerstone();
    return new ViewerSession(elements);
  }

  private readonly engineId = `simcvd-engine-${++sessionSerial}`;

  private constructor(private readonly elements: Record<ViewportId, HTMLDivElement>) {
    this.engine = new RenderingEngine(this.engineId);
    this.engine.setViewports(
      VIEWPORT_IDS.map((viewportId) => ({
        viewportId,
        type: CoreEnums.ViewportType.ORTHOGRAPHIC,
        element: elements[viewportId],
        defaultOptions: { orientation: ORIENTATION[viewportId], background: [0, 0, 0] },
      })),
    );
    this.group = createToolGroup(`simcvd-tools-${sessionSerial}`);
    for (const viewportId of VIEWPORT_IDS) this.group.addViewport(viewportId, this.engineId);
    this.listen(
      eventTarget,
      ToolEnums.Events.SEGMENTATION_DATA_MODIFIED,
      this.onSegmentationModified as EventListener,
    );
    this.listen(document, 'pointerup', this.onPointerUp, true);
    this.listen(document, 'pointercancel', this.onPointerUp, true);
    this.listen(window, 'blur', this.onPointerUp);
    for (const viewportId of VIEWPORT_IDS) this.wireElement(viewportId, elements[viewportId]);
    const observer = new ResizeObserver(() => this.engine.resize(true, true));
    for (const element of Object.values(elements)) observer.observe(element);
    this.cleanups.push(() => observer.disconnect());
  }

  on(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private listen(target: EventTarget, type: string, handler: EventListener, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.cleanups.push(() => target.removeEventListener(type, handler, capture));
  }

  private viewport(viewportId: ViewportId): CoreTypes.IVolumeViewport {
    return this.engine.getViewport(viewportId) as CoreTypes.IVolumeViewport;
  }

  private wireElement(viewportId: ViewportId, element: HTMLDivElement): void {
    element.addEventListener('contextmenu', (event) => event.preventDefault());
    this.listen(element, 'pointerdown', ((event: PointerEvent) => {
      this.pointerDown = true;
      if (this.tool === 'navigate' && event.button === 0 && this.volumes) {
        this.navigating = viewportId;
        this.navigateTo(viewportId, event);
      }
    }) as EventListener);
    this.listen(element, 'pointermove', ((event: PointerEvent) => {
      if (this.navigating === viewportId) this.navigateTo(viewportId, event);
      this.lastPointer = { viewportId, clientX: event.clientX, clientY: event.clientY };
      this.emit({ type: 'cursor', readout: this.readoutAt(viewportId, event) });
    }) as EventListener);
    this.listen(element, 'pointerleave', () => {
      this.lastPointer = null;
      this.emit({ type: 'cursor', readout: null });
    });
    this.listen(element, CoreEnums.Events.CAMERA_MODIFIED, () => this.onCameraModified(viewportId));
    this.listen(element, CoreEnums.Events.VOI_MODIFIED, ((event: CustomEvent) =>
      this.onWindowModified(viewportId, event)) as EventListener);
  }

  // ---- loading -------------------------------------------------------------------------

  async load(study: StudyData): Promise<void> {
    this.edits?.dispose();
    this.showUncertainty(null);
    this.mode = 'human';
    const previous = this.volumes;
    const { header } = study;
    const volumes = createStudyVolumes(header, study.image, study.labels);
    this.header = header;
    this.image = typedFileImage(header, study.image);
    this.volumes = volumes;
    this.edits = new LabelEditTracker(
      volumes,
      () => this.pointerDown,
      (diff) => this.emit({ type: 'edited', diff }),
    );
    await setVolumesForViewports(
      this.engine,
      [{ volumeId: volumes.imageVolumeId }],
      [...VIEWPORT_IDS],
    );
    // Only now, with the new actors in place, may the old volumes leave the cache: the views
    // still read them until setVolumes replaced them.
    if (previous) releaseStudyVolumes(previous);
    segmentation.addLabelmapRepresentationToViewportMap(
      Object.fromEntries(
        VIEWPORT_IDS.map((id) => [
          id,
          [{ segmentationId: volumes.segmentationId, type: LABELMAP }],
        ]),
      ),
    );
    segmentation.config.style.setStyle(
      { type: LABELMAP },
      { renderOutline: true, outlineWidth: 1, fillAlpha: 1, fillAlphaInactive: 1 },
    );
    this.applyAppearance();
    segmentation.segmentIndex.setActiveSegmentIndex(volumes.segmentationId, this.activeLabel);
    const [lower, upper] = header.robustRange;
    this.setWindow(lower, upper === lower ? lower + 1 : upper);
    this.resetViews();
    activateTool(this.group, this.tool);
  }

  get studyId(): string | undefined {
    return this.header?.studyId;
  }

  /** Voxel grid of the open study (file order). */
  get dims(): Vec3 | undefined {
    return this.header?.dims;
  }

  // ---- views ---------------------------------------------------------------------------

  /** Fits every view and centres all three on the middle voxel of the volume. */
  resetViews(): void {
    if (!this.header) return;
    for (const id of VIEWPORT_IDS) this.viewport(id).resetCamera();
    const centre = this.header.dims.map((n) => Math.floor((n - 1) / 2)) as Vec3;
    this.jumpToVoxel(centre);
  }

  jumpToVoxel(voxel: Vec3): void {
    if (!this.header) return;
    this.jumpToWorld(rasToLps(voxelToRas(this.header.affine, voxel)));
  }

  private jumpToWorld(lps: Vec3, except?: ViewportId): void {
    this.crosshairLps = lps;
    for (const id of VIEWPORT_IDS) {
      if (id !== except) this.viewport(id).jumpToWorld(lps as CoreTypes.Point3);
    }
    this.engine.render();
    this.emit({ type: 'views' });
  }

  private navigateTo(viewportId: ViewportId, event: PointerEvent): void {
    const world = this.canvasToWorld(viewportId, event);
    this.jumpToWorld(world, viewportId);
  }

  private canvasToWorld(viewportId: ViewportId, event: { clientX: number; clientY: number }): Vec3 {
    const rect = this.elements[viewportId].getBoundingClientRect();
    const canvas: CoreTypes.Point2 = [event.clientX - rect.left, event.clientY - rect.top];
    return this.viewport(viewportId).canvasToWorld(canvas) as Vec3;
  }

  /** Moves the slice in view by `delta` slices; positive deltas raise the file slice index. */
  scroll(viewportId: ViewportId, delta: number): void {
    const info = this.viewInfo(viewportId);
    if (!info) return;
    this.viewport(viewportId).scroll(delta * info.sliceDirection);
  }

  private onCameraModified(viewportId: ViewportId): void {
    if (!this.volumes) return;
    // Keep the crosshair on every view's slice plane: move it along this view's normal.
    const camera = this.viewport(viewportId).getCamera();
    const normal = camera.viewPlaneNormal as Vec3;
    const focal = camera.focalPoint as Vec3;
    const offset =
      (focal[0] - this.crosshairLps[0]) * normal[0] +
      (focal[1] - this.crosshairLps[1]) * normal[1] +
      (focal[2] - this.crosshairLps[2]) * normal[2];
    this.crosshairLps = this.crosshairLps.map((x, a) => x + normal[a]! * offset) as Vec3;
    this.emit({ type: 'views' });
    if (this.lastPointer?.viewportId === viewportId) {
      this.emit({ type: 'cursor', readout: this.readoutAt(viewportId, this.lastPointer) });
    }
  }

  viewInfo(viewportId: ViewportId): ViewInfo | null {
    if (!this.header || !this.volumes) return null;
    const viewport = this.viewport(viewportId);
    const camera = viewport.getCamera();
    const crosshair = viewport.worldToCanvas(this.crosshairLps as CoreTypes.Point3);
    return describeView(this.header, camera.viewUp as Vec3, camera.viewPlaneNormal as Vec3, {
      focalLps: camera.focalPoint as Vec3,
      crosshairCanvas: [crosshair[0], crosshair[1]],
    });
  }

  // ---- window / level ------------------------------------------------------------------

  setWindow(lower: number, upper: number): void {
    this.syncingWindow = true;
    try {
      for (const id of VIEWPORT_IDS)
        this.viewport(id).setProperties({ voiRange: { lower, upper } });
    } finally {
      this.syncingWindow = false;
    }
    this.engine.render();
    this.emit({ type: 'window', lower, upper });
  }

  private onWindowModified(viewportId: ViewportId, event: CustomEvent): void {
    if (this.syncingWindow || !this.volumes) return;
    const range = (event.detail as { range?: { lower: number; upper: number } }).range;
    if (!range) return;
    // The window/level tool changes one view; keep the three in step.
    this.syncingWindow = true;
    try {
      for (const id of VIEWPORT_IDS) {
        if (id !== viewportId) this.viewport(id).setProperties({ voiRange: { ...range } });
      }
    } finally {
      this.syncingWindow = false;
    }
    this.engine.render();
    this.emit({ type: 'window', lower: range.lower, upper: range.upper });
  }

  // ---- tools and labels ----------------------------------------------------------------

  setTool(tool: ToolId): void {
    this.tool = tool;
    activateTool(this.group, tool);
  }

  setBrush(settings: BrushSettings): void {
    applyBrushSettings(this.group, settings);
  }

  setActiveLabel(value: number): void {
    this.activeLabel = value;
    if (this.volumes)
      segmentation.segmentIndex.setActiveSegmentIndex(this.volumes.segmentationId, value);
  }

  setLabelAppearance(labels: LabelAppearance[]): void {
    this.appearance = labels;
    this.applyAppearance();
  }

  private applyAppearance(): void {
    if (!this.volumes) return;
    const { segmentationId } = this.volumes;
    for (const id of VIEWPORT_IDS) {
      for (const label of this.appearance) {
        const [r, g, b] = hexToRgb(label.color);
        segmentation.config.color.setSegmentIndexColor(id, segmentationId, label.value, [
          r,
          g,
          b,
          Math.round(label.opacity * 255),
        ]);
        segmentation.config.visibility.setSegmentIndexVisibility(
          id,
          { segmentationId, type: LABELMAP },
          label.value,
          label.visible,
        );
      }
    }
    this.engine.render();
  }

  // ---- review --------------------------------------------------------------------------

  /** Draws the labelmap as a human label or as a model proposal under review. */
  setLabelmapMode(mode: LabelmapMode): void {
    this.mode = mode;
    if (!this.volumes) return;
    applyLabelmapMode(this.volumes.segmentationId, mode);
    this.engine.render();
  }

  get labelmapMode(): LabelmapMode {
    return this.mode;
  }

  /** Shows the uncertainty overlay (bytes ×255, file order) over the open study; null hides it. */
  showUncertainty(bytes: Uint8Array | null): void {
    this.uncertainty?.remove();
    this.uncertainty = undefined;
    if (bytes && this.volumes && this.header)
      this.uncertainty = UncertaintyLayer.add(this.volumes, this.header, bytes);
    if (this.volumes) this.engine.render();
  }

  get uncertaintyShown(): boolean {
    return this.uncertainty !== undefined;
  }

  /** Moves the views to file slice `index` along voxel `axis`, keeping the other coordinates. */
  showFileSlice(axis: 0 | 1 | 2, index: number): void {
    if (!this.header) return;
    const voxel = rasToVoxel(this.header.affine, lpsToRas(this.crosshairLps)).map((v, a) =>
      Math.min(this.header!.dims[a]! - 1, Math.max(0, Math.round(v))),
    ) as Vec3;
    voxel[axis] = Math.min(this.header.dims[axis]! - 1, Math.max(0, Math.round(index)));
    this.jumpToVoxel(voxel);
  }

  // ---- edits ---------------------------------------------------------------------------

  private readonly onSegmentationModified = (event: CustomEvent) => {
    const detail = event.detail as { segmentationId?: string };
    if (detail.segmentationId === this.volumes?.segmentationId) this.edits?.modified();
  };

  private readonly onPointerUp = () => {
    this.pointerDown = false;
    this.navigating = null;
    this.edits?.released();
  };

  /** True while a drag is under way: its edit is reported when the button is released. */
  get strokeInProgress(): boolean {
    return this.pointerDown;
  }

  /** Reports any finished edit not yet reported; call before reading labels for a save. */
  flushEdits(): void {
    this.edits?.flush();
  }

  /** performance.now() of the last labelmap change (for latency measurements). */
  get labelmapChangedAt(): number {
    return this.edits?.changedAt ?? 0;
  }

  /** Applies an undo/redo step (display-order diff) to the labelmap. */
  applyDiff(diff: LabelDiff, direction: 'undo' | 'redo'): void {
    this.edits?.apply(diff, direction);
  }

  /** Replaces the whole labelmap (file order) as one edit, e.g. after interpolation. */
  replaceLabels(fileOrder: Uint8Array): void {
    if (!this.volumes || !this.header) return;
    this.edits?.replace(reorderSlices(fileOrder, this.header.dims, this.volumes.grid.flipK));
  }

  /** The labelmap in file order (i fastest, as stored in the project). */
  readLabels(): Uint8Array | null {
    if (!this.volumes || !this.header || !this.edits) return null;
    return reorderSlices(this.edits.snapshot(), this.header.dims, this.volumes.grid.flipK);
  }

  /** Which voxel axis a view looks along, for tools that work slice by slice. */
  sliceAxis(viewportId: ViewportId): 0 | 1 | 2 {
    return this.viewInfo(viewportId)?.sliceAxis ?? 2;
  }

  // ---- readout and test hooks ----------------------------------------------------------

  private readoutAt(
    viewportId: ViewportId,
    event: { clientX: number; clientY: number },
  ): CursorReadout | null {
    if (!this.header || !this.image || !this.edits || !this.volumes) return null;
    const worldRas = lpsToRas(this.canvasToWorld(viewportId, event));
    const voxel = rasToVoxel(this.header.affine, worldRas).map(Math.round) as Vec3;
    const [nx, ny, nz] = this.header.dims;
    if (voxel.some((v, a) => v < 0 || v >= this.header!.dims[a]!)) return null;
    const fileIndex = voxel[0] + nx * (voxel[1] + ny * voxel[2]);
    const displayK = this.volumes.grid.flipK ? nz - 1 - voxel[2] : voxel[2];
    const displayIndex = voxel[0] + nx * (voxel[1] + ny * displayK);
    return {
      viewportId,
      voxel,
      worldRas,
      value: this.image[fileIndex]!,
      label: this.edits.labelAt(displayIndex),
    };
  }

  /** Page coordinates (CSS pixels) of a file voxel's centre in a view. */
  voxelToPage(viewportId: ViewportId, voxel: Vec3): { x: number; y: number } | null {
    if (!this.header) return null;
    return this.worldToPage(viewportId, voxelToRas(this.header.affine, voxel));
  }

  /** Page coordinates (CSS pixels) of a RAS+ point in a view. */
  worldToPage(viewportId: ViewportId, ras: Vec3): { x: number; y: number } | null {
    if (!this.volumes) return null;
    const lps = rasToLps(ras);
    const [x, y] = this.viewport(viewportId).worldToCanvas(lps as CoreTypes.Point3);
    const rect = this.elements[viewportId].getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }

  destroy(): void {
    this.edits?.dispose();
    this.uncertainty?.remove();
    this.uncertainty = undefined;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    ToolGroupManager.destroyToolGroup(this.group.id);
    this.engine.destroy();
    if (this.volumes) releaseStudyVolumes(this.volumes);
    this.volumes = undefined;
    this.edits = undefined;
    this.listeners.clear();
  }
}
