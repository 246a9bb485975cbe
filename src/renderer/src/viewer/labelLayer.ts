// The labelmap layer (renderer, Cornerstone): the study's labelmap in the three views — each
// label's colour, visibility and opacity, the label the tools paint — and its edits: every
// finished edit is reported as a voxel diff ('edited', with the slice in view where a tool
// drew it), the start of an edit as 'editStarted', and undo/redo steps, whole replacements
// and reads for saving go through here. Data in and out is in file order (i fastest).
import { eventTarget } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import { reorderSlices, type Vec3 } from './geometry';
import type { LabelDiff } from './labelDiff';
import { LabelEditTracker } from './labelEdits';
import type { SessionCore } from './sessionCore';
import type { StudyVolumes } from './studyVolume';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';
import type { FileSlice } from './viewInfo';

const LABELMAP = ToolEnums.SegmentationRepresentations.Labelmap;

export interface LabelAppearance {
  value: number;
  /** CSS hex colour. */
  color: string;
  visible: boolean;
  /** 0..1 */
  opacity: number;
}

function hexToRgb(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export class LabelLayer {
  private tracker: LabelEditTracker | undefined;
  /** A mouse button is held on a view: a stroke may be under way. */
  private pointerDown = false;
  /** The view the last stroke started in. */
  private strokeView: ViewportId | null = null;
  private appearance: LabelAppearance[] = [];
  private activeLabel = 1;

  constructor(
    private readonly core: SessionCore,
    /** The file slice a view shows (a stroke there annotates that slice). */
    private readonly sliceInView: (viewportId: ViewportId) => FileSlice | null,
  ) {
    core.listen<CustomEvent>(eventTarget, ToolEnums.Events.SEGMENTATION_DATA_MODIFIED, (event) => {
      const detail = event.detail as { segmentationId?: string };
      if (detail.segmentationId === core.study?.volumes.segmentationId) this.tracker?.modified();
    });
    const released = () => {
      this.pointerDown = false;
      this.tracker?.released();
    };
    core.listen(document, 'pointerup', released, true);
    core.listen(document, 'pointercancel', released, true);
    core.listen(window, 'blur', released);
    for (const viewportId of VIEWPORT_IDS) {
      core.listen(core.elements[viewportId], 'pointerdown', () => {
        this.pointerDown = true;
        this.strokeView = viewportId;
      });
    }
  }

  /** Starts tracking the edits of a new study's labelmap (before the views show it). */
  track(volumes: StudyVolumes): void {
    this.tracker?.dispose();
    this.tracker = new LabelEditTracker(volumes, () => this.pointerDown, {
      started: () => this.core.emit({ type: 'editStarted' }),
      unchanged: () => this.core.emit({ type: 'editUnchanged' }),
      edited: (diff, source) => {
        const view = source === 'tool' ? this.strokeView : null;
        this.core.emit({ type: 'edited', diff, slice: view ? this.sliceInView(view) : null });
      },
    });
  }

  /** Adds the labelmap to the three views, with the current appearance and active label. */
  show(volumes: StudyVolumes): void {
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
  }

  /** The label value the painting tools write. */
  setActiveLabel(value: number): void {
    this.activeLabel = value;
    const volumes = this.core.study?.volumes;
    if (volumes) segmentation.segmentIndex.setActiveSegmentIndex(volumes.segmentationId, value);
  }

  setAppearance(labels: LabelAppearance[]): void {
    this.appearance = labels;
    this.applyAppearance();
  }

  /** True while a drag is under way: its edit is reported when the button is released. */
  get strokeInProgress(): boolean {
    return this.pointerDown;
  }

  /** Reports any finished edit not yet reported; call before reading labels for a save. */
  flush(): void {
    this.tracker?.flush();
  }

  /** performance.now() of the last labelmap change (for latency measurements). */
  get changedAt(): number {
    return this.tracker?.changedAt ?? 0;
  }

  /** Applies an undo/redo step (display-order diff) to the labelmap. */
  apply(diff: LabelDiff, direction: 'undo' | 'redo'): void {
    this.tracker?.apply(diff, direction);
  }

  /** Replaces the whole labelmap (file order) as one edit, e.g. after interpolation. */
  replace(fileOrder: Uint8Array): void {
    const study = this.core.study;
    if (!study) return;
    this.tracker?.replace(reorderSlices(fileOrder, study.header.dims, study.volumes.grid.flipK));
  }

  /** The labelmap in file order (i fastest, as stored in the project). */
  read(): Uint8Array | null {
    const study = this.core.study;
    if (!study || !this.tracker) return null;
    return reorderSlices(this.tracker.snapshot(), study.header.dims, study.volumes.grid.flipK);
  }

  /** The label at a file voxel (inside the grid), as last reported. */
  labelAt(voxel: Vec3): number {
    const study = this.core.study;
    if (!study || !this.tracker) return 0;
    const [nx, ny, nz] = study.header.dims;
    const k = study.volumes.grid.flipK ? nz - 1 - voxel[2] : voxel[2];
    return this.tracker.labelAt(voxel[0] + nx * (voxel[1] + ny * k));
  }

  dispose(): void {
    this.tracker?.dispose();
    this.tracker = undefined;
  }

  private applyAppearance(): void {
    const volumes = this.core.study?.volumes;
    if (!volumes) return;
    const { segmentationId } = volumes;
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
    this.core.engine.render();
  }
}
