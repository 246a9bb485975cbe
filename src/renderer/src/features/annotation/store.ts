// Annotation tool state (renderer, zustand): the active tool and its settings, the label being
// painted, per-label display, and the window in view. Preferences only; no I/O.
import { create } from 'zustand';
import type { BrushShape, ToolId, ViewportId } from '../../viewer/toolIds';

export interface LabelDisplay {
  visible: boolean;
  /** 0..1 */
  opacity: number;
}

export const BRUSH_RADIUS_MM = { min: 0.5, max: 50, step: 0.5 } as const;
export const DEFAULT_LABEL_DISPLAY: LabelDisplay = { visible: true, opacity: 0.5 };

interface AnnotationState {
  tool: ToolId;
  brushRadiusMm: number;
  brushShape: BrushShape;
  thresholdRange: [number, number];
  activeLabel: number;
  display: Record<number, LabelDisplay>;
  /** Hides every label at once (a quick look at the image underneath) without losing settings. */
  labelsHidden: boolean;
  window: { lower: number; upper: number } | null;
  /** The view the pointer was last in: keyboard slice scrolling and interpolation use it. */
  activeViewport: ViewportId;
  setTool(tool: ToolId): void;
  setBrushRadius(mm: number): void;
  stepBrushRadius(direction: 1 | -1): void;
  setBrushShape(shape: BrushShape): void;
  setThresholdRange(range: [number, number]): void;
  setActiveLabel(value: number): void;
  setDisplay(value: number, patch: Partial<LabelDisplay>): void;
  toggleAllLabels(): void;
  setWindow(lower: number, upper: number): void;
  setActiveViewport(viewportId: ViewportId): void;
}

const clampRadius = (mm: number) =>
  Math.min(BRUSH_RADIUS_MM.max, Math.max(BRUSH_RADIUS_MM.min, Math.round(mm * 2) / 2));

export const useAnnotationStore = create<AnnotationState>((set, get) => ({
  tool: 'brush',
  brushRadiusMm: 3,
  brushShape: 'circle',
  thresholdRange: [0, 1],
  activeLabel: 1,
  display: {},
  labelsHidden: false,
  window: null,
  activeViewport: 'axial',
  setTool: (tool) => set({ tool }),
  setBrushRadius: (mm) => set({ brushRadiusMm: clampRadius(mm) }),
  stepBrushRadius(direction) {
    // Bigger steps for bigger brushes, like Slicer's size slider.
    const r = get().brushRadiusMm;
    const step = r < 3 ? 0.5 : r < 10 ? 1 : 2.5;
    set({ brushRadiusMm: clampRadius(r + direction * step) });
  },
  setBrushShape: (brushShape) => set({ brushShape }),
  setThresholdRange: (thresholdRange) => set({ thresholdRange }),
  setActiveLabel: (activeLabel) => set({ activeLabel }),
  setDisplay(value, patch) {
    const current = get().display[value] ?? DEFAULT_LABEL_DISPLAY;
    set({ display: { ...get().display, [value]: { ...current, ...patch } } });
  },
  toggleAllLabels: () => set({ labelsHidden: !get().labelsHidden }),
  setWindow: (lower, upper) => set({ window: { lower, upper } }),
  setActiveViewport: (activeViewport) => set({ activeViewport }),
}));
