// Review display (renderer, Cornerstone): whether the labelmap is drawn as a human label or as
// a model's proposal under review, and the uncertainty overlay over the study in view. A newly
// loaded study starts as a human label without the overlay.
import { applyLabelmapMode, UncertaintyLayer, type LabelmapMode } from './reviewLayers';
import type { SessionCore } from './sessionCore';

export class ReviewDisplay {
  private mode: LabelmapMode = 'human';
  private uncertainty: UncertaintyLayer | undefined;

  constructor(private readonly core: SessionCore) {}

  /** Draws the labelmap as a human label or as a model proposal under review. */
  setLabelmapMode(mode: LabelmapMode): void {
    this.mode = mode;
    const volumes = this.core.study?.volumes;
    if (!volumes) return;
    applyLabelmapMode(volumes.segmentationId, mode);
    this.core.engine.render();
  }

  get labelmapMode(): LabelmapMode {
    return this.mode;
  }

  /** Shows the uncertainty overlay (bytes ×255, file order) over the open study; null hides it. */
  showUncertainty(bytes: Uint8Array | null): void {
    this.uncertainty?.remove();
    this.uncertainty = undefined;
    const study = this.core.study;
    if (bytes && study) this.uncertainty = UncertaintyLayer.add(study.volumes, study.header, bytes);
    if (study) this.core.engine.render();
  }

  get uncertaintyShown(): boolean {
    return this.uncertainty !== undefined;
  }

  /** Before another study loads: back to a human label, no overlay. */
  reset(): void {
    this.showUncertainty(null);
    this.mode = 'human';
  }

  dispose(): void {
    this.uncertainty?.remove();
    this.uncertainty = undefined;
  }
}
