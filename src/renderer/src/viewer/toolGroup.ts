// Cornerstone tool group (renderer): one group for the three views, with our tool ids mapped
// to tool instances. Fixed bindings follow OHIF: middle drag pans, right drag zooms, the wheel
// scrolls slices, Shift + left drag erases while a brush is active.
import type { Types as CoreTypes } from '@cornerstonejs/core';
import {
  BrushTool,
  CircleScissorsTool,
  Enums as ToolEnums,
  PaintFillTool,
  PanTool,
  RectangleScissorsTool,
  SphereScissorsTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  utilities as toolUtilities,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { BrushShape, ToolId } from './toolIds';

type ToolGroup = ToolTypes.IToolGroup;
const { MouseBindings, KeyboardBindings } = ToolEnums;

const BRUSH = 'SimcvdBrush';
const ERASER = 'SimcvdEraser';
const THRESHOLD = 'SimcvdThresholdBrush';
/** The eraser bound to Shift + left drag, active beside whichever brush is selected. */
const SHIFT_ERASER = 'SimcvdShiftEraser';
const BRUSH_INSTANCES = [BRUSH, ERASER, THRESHOLD, SHIFT_ERASER];

const PRIMARY_INSTANCE: Record<Exclude<ToolId, 'navigate'>, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  brush: BRUSH,
  eraser: ERASER,
  thresholdBrush: THRESHOLD,
  rectangleScissors: RectangleScissorsTool.toolName,
  circleScissors: CircleScissorsTool.toolName,
  sphereScissors: SphereScissorsTool.toolName,
  fill: PaintFillTool.toolName,
};

function strategy(kind: 'fill' | 'erase' | 'threshold', shape: BrushShape): string {
  const suffix = shape === 'sphere' ? 'SPHERE' : 'CIRCLE';
  if (kind === 'fill') return `FILL_INSIDE_${suffix}`;
  if (kind === 'erase') return `ERASE_INSIDE_${suffix}`;
  return `THRESHOLD_INSIDE_${suffix}`;
}

export function createToolGroup(groupId: string): ToolGroup {
  ToolGroupManager.destroyToolGroup(groupId);
  const group = ToolGroupManager.createToolGroup(groupId)!;
  for (const name of [
    WindowLevelTool.toolName,
    PanTool.toolName,
    ZoomTool.toolName,
    StackScrollTool.toolName,
    RectangleScissorsTool.toolName,
    CircleScissorsTool.toolName,
    SphereScissorsTool.toolName,
    PaintFillTool.toolName,
  ]) {
    group.addTool(name);
  }
  group.addToolInstance(BRUSH, BrushTool.toolName, { activeStrategy: strategy('fill', 'circle') });
  group.addToolInstance(ERASER, BrushTool.toolName, {
    activeStrategy: strategy('erase', 'circle'),
  });
  group.addToolInstance(SHIFT_ERASER, BrushTool.toolName, {
    activeStrategy: strategy('erase', 'circle'),
  });
  group.addToolInstance(THRESHOLD, BrushTool.toolName, {
    activeStrategy: strategy('threshold', 'circle'),
    threshold: { range: [0, 1], isDynamic: false, dynamicRadius: 0 },
  });
  // The brush's own key actions (i, e, Enter, Escape) would fight our shortcuts.
  for (const name of BRUSH_INSTANCES) {
    const tool = group.getToolInstance(name) as { configuration: { actions?: unknown } };
    tool.configuration.actions = {};
  }
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Wheel }],
  });
  return group;
}

const FIXED = new Set([PanTool.toolName, ZoomTool.toolName, StackScrollTool.toolName]);

/** Makes `tool` the left-button tool; 'navigate' leaves the left button to the viewer itself. */
export function activateTool(group: ToolGroup, tool: ToolId): void {
  for (const name of [...Object.values(PRIMARY_INSTANCE), SHIFT_ERASER]) {
    if (FIXED.has(name)) {
      // Pan and zoom keep their middle/right bindings; only drop an extra left binding.
      const bindings =
        name === PanTool.toolName ? MouseBindings.Auxiliary : MouseBindings.Secondary;
      group.setToolDisabled(name);
      group.setToolActive(name, { bindings: [{ mouseButton: bindings }] });
    } else {
      group.setToolDisabled(name);
    }
  }
  if (tool === 'navigate') return;
  group.setToolActive(PRIMARY_INSTANCE[tool], {
    bindings: [{ mouseButton: MouseBindings.Primary }],
  });
  if (tool === 'brush' || tool === 'thresholdBrush') {
    group.setToolActive(SHIFT_ERASER, {
      bindings: [{ mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift }],
    });
  }
}

export interface BrushSettings {
  radiusMm: number;
  shape: BrushShape;
  /** Intensity range painted by the threshold brush. */
  thresholdRange: [number, number];
}

export function applyBrushSettings(group: ToolGroup, settings: BrushSettings): void {
  group.setToolConfiguration(BRUSH, { activeStrategy: strategy('fill', settings.shape) });
  group.setToolConfiguration(ERASER, { activeStrategy: strategy('erase', settings.shape) });
  group.setToolConfiguration(SHIFT_ERASER, { activeStrategy: strategy('erase', settings.shape) });
  group.setToolConfiguration(THRESHOLD, {
    activeStrategy: strategy('threshold', settings.shape),
    threshold: {
      range: settings.thresholdRange as CoreTypes.Point2,
      isDynamic: false,
      dynamicRadius: 0,
    },
  });
  toolUtilities.segmentation.setBrushSizeForToolGroup(group.id, settings.radiusMm);
}
