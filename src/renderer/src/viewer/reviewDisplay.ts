// Review display (renderer, Cornerstone): whether the labelmap is drawn as a human label or as
// a model's proposal under review, the uncertainty overlay, and a proposal shown as a reference
// over a person's label. Keeps the layers in one order in every view — uncertainty below the
// labelmap (so it never hides a proposal's outline), the reference outline on top. A newly
// loaded study starts as a human label without overlays.
import { eventTarget } from '@cornerstonejs/core';
import { Enums as ToolEnums } from '@cornerstonejs/tools';
import { applyLabelmapMode, OverlayLabelmap, type LabelmapMode } from './reviewLayers';
import type { SessionCore } from './sessionCore';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';

export class ReviewDisplay {
  private mode: LabelmapMode = 'human';
  private uncertainty: OverlayLabelmap | undefined;
  private reference: OverlayLabelmap | undefined;
  private referenceVisible = true;
  /** The reference's labels while one is set (kept while it is hidden). */
  private referenceLabels: Uint8Array | null = null;

  constructor(private readonly core: SessionCore) {
    // Overlays are drawn as their render finishes, in any order: put them back in ours.
    core.listen<CustomEvent>(eventTarget, ToolEnums.Events.SEGMENTATION_RENDERED, (event) => {
      const { viewportId } = event.detail as { viewportId?: ViewportId };
      if (viewportId && (this.uncertainty || this.reference)) this.orderLayers(viewportId);
    });
  }

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
    if (bytes && study)
      this.uncertainty = OverlayLabelmap.uncertainty(study.volumes, study.header, bytes);
    if (study) this.core.engine.render();
  }

  get uncertaintyShown(): boolean {
    return this.uncertainty !== undefined;
  }

  /** Shows a proposal (labels, file order) as a reference outline; null removes it. */
  showReference(labels: Uint8Array | null): void {
    this.reference?.remove();
    this.reference = undefined;
    const study = this.core.study;
    if (labels && study && this.referenceVisible)
      this.reference = OverlayLabelmap.reference(study.volumes, study.header, labels);
    this.referenceLabels = labels;
    if (study) this.core.engine.render();
  }

  /** Hides or shows the reference outline without forgetting it. */
  setReferenceVisible(visible: boolean): void {
    this.referenceVisible = visible;
    this.showReference(this.referenceLabels);
  }

  get referenceShown(): boolean {
    return this.reference !== undefined;
  }

  /** Before another study loads: back to a human label, no overlays. */
  reset(): void {
    this.showUncertainty(null);
    this.showReference(null);
    this.mode = 'human';
  }

  dispose(): void {
    this.uncertainty?.remove();
    this.reference?.remove();
    this.uncertainty = undefined;
    this.reference = undefined;
  }

  /**
   * Uncertainty first, then the study's labelmap, then the reference: vtk draws a view's actors
   * in the order its renderer holds them, so the later ones are re-added at the end.
   */
  private orderLayers(viewportId: ViewportId): void {
    const study = this.core.study;
    if (!study || !VIEWPORT_IDS.includes(viewportId)) return;
    const viewport = this.core.viewport(viewportId);
    const renderer = viewport.getRenderer();
    const entries = viewport.getActors();
    const actorsOf = (segmentationId: string | undefined) =>
      segmentationId
        ? entries
            .filter((e) => String(e.representationUID ?? '').startsWith(`${segmentationId}-`))
            .map((e) => e.actor)
        : [];
    const layers = [
      actorsOf(this.uncertainty?.segmentationId),
      actorsOf(study.volumes.segmentationId),
      actorsOf(this.reference?.segmentationId),
    ].filter((actors) => actors.length > 0);
    const held = renderer.getActors() as unknown[];
    const position = (actor: unknown) => held.indexOf(actor);
    const ordered = layers
      .flat()
      .every((actor, n, all) => n === 0 || position(all[n - 1]) < position(actor));
    if (ordered) return;
    for (const actor of layers.slice(1).flat()) {
      renderer.removeActor(actor as never);
      renderer.addActor(actor as never);
    }
    viewport.render();
  }
}
