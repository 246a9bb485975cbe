// Annotation commands (renderer): the tools, the brush size and shape, and showing or hiding
// the labels — registered by id for the toolbar, the keyboard and the help overlay. Keys follow
// 3D Slicer and OHIF where they have one ([ and ] resize the brush).
import type { AnyCommand } from '../../commands/registry';
import { plainKey } from '../../commands/keys';
import { TOOL_IDS, type ToolId } from '../../viewer/toolIds';
import { useAnnotationStore } from './store';

const annotation = () => useAnnotationStore.getState();

/** The tools in the order the help overlay lists them: painting tools first. */
const TOOLS: { tool: ToolId; label: string; key: string; description: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B', description: 'Brush: paint the active label' },
  { tool: 'eraser', label: 'Eraser', key: 'E', description: 'Eraser' },
  {
    tool: 'thresholdBrush',
    label: 'Threshold brush',
    key: 'T',
    description: 'Threshold brush: paint only voxels inside the intensity range',
  },
  {
    tool: 'rectangleScissors',
    label: 'Rectangle scissors',
    key: 'X', // R is Reject
    description: 'Rectangle scissors: fill a rectangle',
  },
  {
    tool: 'circleScissors',
    label: 'Circle scissors',
    key: 'O',
    description: 'Circle scissors: fill a disc',
  },
  {
    tool: 'sphereScissors',
    label: 'Sphere scissors',
    key: 'S',
    description: 'Sphere scissors: fill a ball',
  },
  { tool: 'fill', label: 'Fill', key: 'F', description: 'Fill: flood-fill a region on the slice' },
  {
    tool: 'navigate',
    label: 'Crosshair',
    key: 'C',
    description: 'Crosshair: click or drag to move the other views there',
  },
  {
    tool: 'windowLevel',
    label: 'Window/level',
    key: 'W',
    description: 'Window/level: drag to change brightness and contrast',
  },
  { tool: 'pan', label: 'Pan', key: 'P', description: 'Pan' },
  { tool: 'zoom', label: 'Zoom', key: 'Z', description: 'Zoom' },
];

/** The tool buttons' order: TOOL_IDS lists the viewing tools, then the painting tools. */
export const TOOLBAR_ORDER: readonly ToolId[] = TOOL_IDS;

export const toolCommandId = (tool: ToolId) => `tool.${tool}` as const;

export function annotationCommands(): AnyCommand[] {
  const tools = TOOLS.map(({ tool, label, key, description }): AnyCommand => ({
    id: toolCommandId(tool),
    label,
    description,
    group: 'Tools',
    shortcut: { keys: key, bindings: [plainKey(key)] },
    run: () => annotation().setTool(tool),
  }));
  return [
    ...tools,
    {
      id: 'brush.larger',
      label: 'Larger brush',
      description: 'Larger brush (also Shift+mouse wheel over a view)',
      group: 'Brush',
      shortcut: { keys: ']', bindings: [{ key: ']', ctrl: false }] },
      run: () => annotation().stepBrushRadius(1),
    },
    {
      id: 'brush.smaller',
      label: 'Smaller brush',
      group: 'Brush',
      shortcut: { keys: '[', bindings: [{ key: '[', ctrl: false }] },
      run: () => annotation().stepBrushRadius(-1),
    },
    {
      id: 'brush.toggleShape',
      label: 'Brush shape',
      description: 'Brush shape: circle (one slice) ↔ sphere (neighbouring slices too)',
      group: 'Brush',
      shortcut: { keys: 'G', bindings: [plainKey('g')] },
      run: () =>
        annotation().setBrushShape(annotation().brushShape === 'circle' ? 'sphere' : 'circle'),
    },
    {
      id: 'view.toggleLabels',
      label: 'Show or hide labels',
      description: 'Show or hide all labels',
      group: 'View',
      shortcut: { keys: 'L', bindings: [plainKey('l')] },
      run: () => annotation().toggleAllLabels(),
    },
  ];
}
