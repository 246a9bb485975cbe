// Cornerstone3D start-up (renderer): initialises core and tools once per page and registers the
// tools the workstation uses. Guarded by a module-level promise because React StrictMode runs
// effects twice in development.
import { init as initCore } from '@cornerstonejs/core';
import {
  addTool,
  BrushTool,
  CircleScissorsTool,
  init as initTools,
  PaintFillTool,
  PanTool,
  RectangleScissorsTool,
  SphereScissorsTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';

let ready: Promise<void> | undefined;

export function ensureCornerstone(): Promise<void> {
  ready ??= Promise.resolve().then(() => {
    initCore();
    initTools();
    for (const tool of [
      BrushTool,
      CircleScissorsTool,
      RectangleScissorsTool,
      SphereScissorsTool,
      PaintFillTool,
      PanTool,
      ZoomTool,
      StackScrollTool,
      WindowLevelTool,
    ]) {
      addTool(tool);
    }
  });
  return ready;
}
