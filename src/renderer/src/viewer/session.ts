// The viewer session (renderer, Cornerstone): three orthogonal views of one study with its
// labelmap. Owns the rendering engine and the parts that do the work, each with one job —
// `navigation` (crosshair, slices, page ↔ voxel), `window` (window/level in step across the
// views), `labels` (the labelmap: appearance, active label, edits), `tools` (left-button tool,
// brush), `review` (proposal look, uncertainty overlay) and `cursor` (the readout). Callers use
// the parts directly; the session only creates them, loads a study into them and destroys them.
import { Enums as CoreEnums, RenderingEngine, setVolumesForViewports } from '@cornerstonejs/core';
import type { VolumeHeader } from '../../../shared/contract/volume';
import { ensureCornerstone } from './cornerstoneSetup';
import { CursorTracker } from './cursorReadout';
import { LabelLayer } from './labelLayer';
import { Navigation } from './navigation';
import { ReviewDisplay } from './reviewDisplay';
import { SessionCore, type SessionEvent } from './sessionCore';
import { createStudyVolumes, releaseStudyVolumes, typedImage } from './studyVolume';
import { SessionTools } from './tools';
import { VIEWPORT_IDS, type ViewportId } from './toolIds';
import { WindowSync } from './windowSync';

export type { SessionEvent } from './sessionCore';
export type { CursorReadout } from './cursorReadout';
export type { LabelAppearance } from './labelLayer';
export type { FileSlice } from './viewInfo';

let sessionSerial = 0;
const ORIENTATION: Record<ViewportId, CoreEnums.OrientationAxis> = {
  axial: CoreEnums.OrientationAxis.AXIAL,
  sagittal: CoreEnums.OrientationAxis.SAGITTAL,
  coronal: CoreEnums.OrientationAxis.CORONAL,
};

export interface StudyData {
  header: VolumeHeader;
  image: ArrayBuffer;
  /** uint8 labels in file order, or null for an empty labelmap. */
  labels: Uint8Array | null;
}

export class ViewerSession {
  readonly navigation: Navigation;
  readonly window: WindowSync;
  readonly labels: LabelLayer;
  readonly tools: SessionTools;
  readonly review: ReviewDisplay;
  readonly cursor: CursorTracker;
  private readonly core: SessionCore;
  private readonly engine: RenderingEngine;

  static async create(elements: Record<ViewportId, HTMLDivElement>): Promise<ViewerSession> {
    await ensureCornerstone();
    return new ViewerSession(elements);
  }

  private constructor(elements: Record<ViewportId, HTMLDivElement>) {
    const serial = ++sessionSerial;
    const engineId = `simcvd-engine-${serial}`;
    this.engine = new RenderingEngine(engineId);
    this.engine.setViewports(
      VIEWPORT_IDS.map((viewportId) => ({
        viewportId,
        type: CoreEnums.ViewportType.ORTHOGRAPHIC,
        element: elements[viewportId],
        defaultOptions: { orientation: ORIENTATION[viewportId], background: [0, 0, 0] },
      })),
    );
    const core = new SessionCore(this.engine, elements);
    this.core = core;
    this.tools = new SessionTools(`simcvd-tools-${serial}`, engineId);
    this.labels = new LabelLayer(core, (viewportId) => {
      const info = this.navigation.viewInfo(viewportId);
      return info ? { axis: info.sliceAxis, index: info.sliceIndex } : null;
    });
    // Before the cursor: a crosshair drag moves the slices the readout then reads.
    this.navigation = new Navigation(core, () => this.tools.current === 'navigate');
    this.cursor = new CursorTracker(core, this.labels);
    this.window = new WindowSync(core);
    this.review = new ReviewDisplay(core);
    for (const element of Object.values(elements)) {
      element.addEventListener('contextmenu', (event) => event.preventDefault());
    }
    const observer = new ResizeObserver(() => this.engine.resize(true, true));
    for (const element of Object.values(elements)) observer.observe(element);
    core.onDestroy(() => observer.disconnect());
  }

  on(listener: (event: SessionEvent) => void): () => void {
    return this.core.on(listener);
  }

  async load(study: StudyData): Promise<void> {
    this.review.reset();
    const previous = this.core.study?.volumes;
    const { header } = study;
    const volumes = createStudyVolumes(header, study.image, study.labels);
    this.core.study = { header, volumes, image: typedImage(header, study.image) };
    this.labels.track(volumes);
    await setVolumesForViewports(
      this.engine,
      [{ volumeId: volumes.imageVolumeId }],
      [...VIEWPORT_IDS],
    );
    // Only now, with the new actors in place, may the old volumes leave the cache: the views
    // still read them until setVolumes replaced them.
    if (previous) releaseStudyVolumes(previous);
    this.labels.show(volumes);
    const [lower, upper] = header.robustRange;
    this.window.set(lower, upper === lower ? lower + 1 : upper);
    this.navigation.reset();
    this.tools.reactivate();
  }

  get studyId(): string | undefined {
    return this.core.study?.header.studyId;
  }

  /** Header of the study in view (its voxel grid, in file order). */
  get header(): VolumeHeader | undefined {
    return this.core.study?.header;
  }

  destroy(): void {
    this.labels.dispose();
    this.review.dispose();
    this.core.destroy();
    this.tools.destroy();
    this.engine.destroy();
    if (this.core.study) releaseStudyVolumes(this.core.study.volumes);
    this.core.study = undefined;
    this.core.clearListeners();
  }
}
