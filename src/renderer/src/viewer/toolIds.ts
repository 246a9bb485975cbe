// Tool identifiers the UI offers (renderer, pure): what a toolbar button, a shortcut and the
// viewer agree on. The viewer maps each to a Cornerstone tool instance (toolGroup.ts).
export const TOOL_IDS = [
  'navigate',
  'windowLevel',
  'pan',
  'zoom',
  'brush',
  'eraser',
  'thresholdBrush',
  'rectangleScissors',
  'circleScissors',
  'sphereScissors',
  'fill',
] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** Tools that change the labelmap (and therefore create undo steps). */
export const EDIT_TOOLS: ReadonlySet<ToolId> = new Set([
  'brush',
  'eraser',
  'thresholdBrush',
  'rectangleScissors',
  'circleScissors',
  'sphereScissors',
  'fill',
]);

/** Brushes paint a disc on the slice in view, or a ball through neighbouring slices. */
export type BrushShape = 'circle' | 'sphere';

export const VIEWPORT_IDS = ['axial', 'sagittal', 'coronal'] as const;
export type ViewportId = (typeof VIEWPORT_IDS)[number];
