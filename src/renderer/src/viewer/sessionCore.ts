// What the viewer session's parts share (renderer, Cornerstone): the rendering engine, the three
// view elements, the study on screen and the session's event channel. Each part keeps only its
// own state and registers its DOM listeners here, so the session removes them all at once.
import type { RenderingEngine, Types as CoreTypes } from '@cornerstonejs/core';
import type { VolumeHeader } from '../../../shared/contract/volume';
import type { CursorReadout } from './cursorReadout';
import type { Vec3 } from './geometry';
import type { LabelDiff } from './labelDiff';
import type { FileSlice } from './viewInfo';
import type { ImageArray, StudyVolumes } from './studyVolume';
import type { ViewportId } from './toolIds';

export type SessionEvent =
  /** A finished edit; `slice`: the slice in view a tool drew it on (null: a replacement). */
  | { type: 'edited'; diff: LabelDiff; slice: FileSlice | null }
  /** The labelmap started changing (a stroke under way, not yet reported). */
  | { type: 'editStarted' }
  /** What started changing left the labelmap as it was. */
  | { type: 'editUnchanged' }
  | { type: 'cursor'; readout: CursorReadout | null }
  | { type: 'views' }
  | { type: 'window'; lower: number; upper: number };

/** The study in the views. */
export interface ShownStudy {
  header: VolumeHeader;
  volumes: StudyVolumes;
  /** Image voxels in file order. */
  image: ImageArray;
}

/** A pointer position in page (client) CSS pixels. */
export interface PagePoint {
  clientX: number;
  clientY: number;
}

export class SessionCore {
  study: ShownStudy | undefined;
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly engine: RenderingEngine,
    readonly elements: Record<ViewportId, HTMLDivElement>,
  ) {}

  viewport(viewportId: ViewportId): CoreTypes.IVolumeViewport {
    return this.engine.getViewport(viewportId) as CoreTypes.IVolumeViewport;
  }

  on(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Adds a DOM listener that the session removes when it is destroyed. */
  listen<E extends Event>(
    target: EventTarget,
    type: string,
    handler: (event: E) => void,
    capture = false,
  ): void {
    const listener = handler as EventListener;
    target.addEventListener(type, listener, capture);
    this.cleanups.push(() => target.removeEventListener(type, listener, capture));
  }

  /** Calls `cleanup` when the session is destroyed. */
  onDestroy(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** LPS world point under a page point in a view. */
  pageToWorld(viewportId: ViewportId, point: PagePoint): Vec3 {
    const rect = this.elements[viewportId].getBoundingClientRect();
    const canvas: CoreTypes.Point2 = [point.clientX - rect.left, point.clientY - rect.top];
    return this.viewport(viewportId).canvasToWorld(canvas) as Vec3;
  }

  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  clearListeners(): void {
    this.listeners.clear();
  }
}
