// Window/level across the three views (renderer, Cornerstone): setting the window sets it in
// every view, and a window/level drag in one view is copied to the other two.
import { Enums as CoreEnums } from '@cornerstonejs/core';
import type { SessionCore } from './sessionCore';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';

export class WindowSync {
  /** True while this class itself changes the views (their VOI events are then ignored). */
  private syncing = false;

  constructor(private readonly core: SessionCore) {
    for (const viewportId of VIEWPORT_IDS) {
      core.listen<CustomEvent>(core.elements[viewportId], CoreEnums.Events.VOI_MODIFIED, (event) =>
        this.onWindowModified(viewportId, event),
      );
    }
  }

  /** Shows intensities lower..upper (image units) from black to white in every view. */
  set(lower: number, upper: number): void {
    this.apply(lower, upper);
  }

  private onWindowModified(viewportId: ViewportId, event: CustomEvent): void {
    if (this.syncing || !this.core.study) return;
    const range = (event.detail as { range?: { lower: number; upper: number } }).range;
    if (!range) return;
    // The window/level tool changes one view; keep the three in step.
    this.apply(range.lower, range.upper, viewportId);
  }

  private apply(lower: number, upper: number, except?: ViewportId): void {
    this.syncing = true;
    try {
      for (const id of VIEWPORT_IDS) {
        if (id !== except) this.core.viewport(id).setProperties({ voiRange: { lower, upper } });
      }
    } finally {
      this.syncing = false;
    }
    this.core.engine.render();
    this.core.emit({ type: 'window', lower, upper });
  }
}
