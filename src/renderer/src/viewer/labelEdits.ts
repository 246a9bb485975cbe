// Labelmap edit tracking (renderer): turns whatever Cornerstone's tools write into the
// labelmap into one voxel diff per finished edit — one stroke, one undo step — and applies
// undo/redo steps back. Holds the last reported state ("committed") in display order. Says
// when a new edit starts (the first change after the last report), so the UI never calls a
// stroke being drawn "saved", and whether an edit came from a tool or a whole replacement.
import { segmentation } from '@cornerstonejs/tools';
import { diffLabels, type LabelDiff } from './labelDiff';
import { readDisplayLabels, writeDisplayLabelVoxels, type StudyVolumes } from './studyVolume';

/** Tools may write their last voxels in their own mouse-up handler; report just after it. */
const CAPTURE_DELAY_MS = 30;

/** A tool's stroke (painted in a view) or a whole replacement (interpolation, a merge). */
export type EditSource = 'tool' | 'replace';

export interface EditTrackerEvents {
  /** The labelmap started changing after the last reported edit (a stroke is under way). */
  started(): void;
  edited(diff: LabelDiff, source: EditSource): void;
  /** What started changing ended with the labelmap as it was (e.g. a load's own event, or a
   *  stroke over voxels that already had the label): nothing to report, nothing unsaved. */
  unchanged(): void;
}

export class LabelEditTracker {
  private committed: Uint8Array;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set while this tracker writes the labelmap itself (undo, redo, replace). */
  private writing = false;
  /** performance.now() of the last labelmap change (for latency measurements). */
  changedAt = 0;

  constructor(
    private readonly volumes: StudyVolumes,
    /** True while a mouse button is held on a view (a stroke may be under way). */
    private readonly pointerDown: () => boolean,
    private readonly events: EditTrackerEvents,
  ) {
    this.committed = readDisplayLabels(volumes);
  }

  /** Call for every segmentation-data-modified event of this labelmap. */
  modified(): void {
    this.changedAt = performance.now();
    if (this.writing) return; // our own write: already accounted for
    if (!this.pending) this.events.started();
    this.pending = true;
    if (!this.pointerDown()) this.schedule();
  }

  /** Call when the mouse button is released anywhere. */
  released(): void {
    if (this.pending) this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), CAPTURE_DELAY_MS);
  }

  /**
   * Reports any finished edit not yet reported. A stroke still being drawn is left alone, so
   * one stroke is always one undo step (and a save never holds half a stroke).
   */
  flush(): void {
    if (this.pointerDown()) return;
    clearTimeout(this.timer);
    if (!this.pending) return;
    this.pending = false;
    const current = readDisplayLabels(this.volumes);
    const diff = diffLabels(this.committed, current);
    this.committed = current;
    if (diff) this.events.edited(diff, 'tool');
    else this.events.unchanged();
  }

  /** Writes an undo/redo step into the labelmap without reporting it as a new edit. */
  apply(diff: LabelDiff, direction: 'undo' | 'redo'): void {
    this.flush();
    const values = direction === 'undo' ? diff.before : diff.after;
    writeDisplayLabelVoxels(this.volumes, diff.indices, values);
    for (let n = 0; n < diff.indices.length; n++) this.committed[diff.indices[n]!] = values[n]!;
    this.render();
    // A stroke being drawn still has to be reported when it ends.
    if (!this.pointerDown()) this.pending = false;
  }

  /** Replaces the whole labelmap (display order) and reports it as one edit. */
  replace(display: Uint8Array): void {
    this.flush();
    const diff = diffLabels(this.committed, display);
    if (!diff) return;
    writeDisplayLabelVoxels(this.volumes, diff.indices, diff.after);
    this.committed = display.slice();
    this.render();
    this.pending = false;
    this.events.edited(diff, 'replace');
  }

  /** The labelmap as last reported (display order); edits in progress are not included. */
  snapshot(): Uint8Array {
    this.flush();
    return this.committed.slice();
  }

  labelAt(displayIndex: number): number {
    return this.committed[displayIndex]!;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private render(): void {
    this.writing = true;
    try {
      segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(
        this.volumes.segmentationId,
      );
    } finally {
      this.writing = false;
    }
  }
}
