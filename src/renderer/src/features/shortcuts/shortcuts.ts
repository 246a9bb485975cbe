// Keyboard shortcuts (renderer): one table drives both the key handling and the help overlay.
// Keys follow 3D Slicer and OHIF where they have one (Ctrl+Z/Ctrl+Y, W/L presets on digits,
// Space resets the view, arrows and Page keys change slices, [ and ] resize the brush).
import { useAnnotationStore } from '../annotation/store';
import { WINDOW_PRESETS } from '../annotation/presets';
import { labelEditing } from '../editor/instance';
import { applyPreset, resetViews } from '../editor/viewActions';
import type { ToolId } from '../../viewer/toolIds';

export interface Shortcut {
  /** As shown to the user, e.g. "Ctrl+Z". */
  keys: string;
  description: string;
  group: 'Tools' | 'Brush' | 'Edit' | 'View' | 'Help';
  matches(event: KeyboardEvent): boolean;
  run(): void;
}

type Modifiers = { ctrl?: boolean; shift?: boolean; alt?: boolean };

/** Matches `key` case-insensitively with exactly the given modifiers (Cmd counts as Ctrl). */
function key(name: string, modifiers: Modifiers = {}) {
  return (event: KeyboardEvent) =>
    event.key.toLowerCase() === name.toLowerCase() &&
    (event.ctrlKey || event.metaKey) === Boolean(modifiers.ctrl) &&
    event.altKey === Boolean(modifiers.alt) &&
    (modifiers.shift === undefined || event.shiftKey === modifiers.shift);
}

const tool = (keys: string, id: ToolId, description: string): Shortcut => ({
  keys,
  description,
  group: 'Tools',
  matches: key(keys, { shift: false }),
  run: () => useAnnotationStore.getState().setTool(id),
});

export interface HelpToggle {
  toggle(): void;
  close(): void;
}

export function buildShortcuts(help: HelpToggle): Shortcut[] {
  const annotation = () => useAnnotationStore.getState();
  return [
    tool('B', 'brush', 'Brush: paint the active label'),
    tool('E', 'eraser', 'Eraser'),
    tool('T', 'thresholdBrush', 'Threshold brush: paint only voxels inside the intensity range'),
    tool('R', 'rectangleScissors', 'Rectangle scissors: fill a rectangle'),
    tool('O', 'circleScissors', 'Circle scissors: fill a disc'),
    tool('S', 'sphereScissors', 'Sphere scissors: fill a ball'),
    tool('F', 'fill', 'Fill: flood-fill a region on the slice'),
    tool('C', 'navigate', 'Crosshair: click or drag to move the other views there'),
    tool('W', 'windowLevel', 'Window/level: drag to change brightness and contrast'),
    tool('P', 'pan', 'Pan'),
    tool('Z', 'zoom', 'Zoom'),
    {
      keys: ']',
      description: 'Larger brush (also Shift+mouse wheel over a view)',
      group: 'Brush',
      matches: (e) => e.key === ']' && !e.ctrlKey && !e.metaKey,
      run: () => annotation().stepBrushRadius(1),
    },
    {
      keys: '[',
      description: 'Smaller brush',
      group: 'Brush',
      matches: (e) => e.key === '[' && !e.ctrlKey && !e.metaKey,
      run: () => annotation().stepBrushRadius(-1),
    },
    {
      keys: 'G',
      description: 'Brush shape: circle (one slice) ↔ sphere (neighbouring slices too)',
      group: 'Brush',
      matches: key('g', { shift: false }),
      run: () =>
        annotation().setBrushShape(annotation().brushShape === 'circle' ? 'sphere' : 'circle'),
    },
    {
      keys: 'Shift+drag',
      description: 'Erase with the brush or threshold brush active',
      group: 'Brush',
      matches: () => false,
      run: () => undefined,
    },
    {
      keys: 'I',
      description: 'Interpolate the active label between annotated slices of the active view',
      group: 'Edit',
      matches: key('i', { shift: false }),
      run: () => labelEditing.interpolate(annotation().activeLabel, annotation().activeViewport),
    },
    {
      keys: 'Ctrl+Z',
      description: 'Undo',
      group: 'Edit',
      matches: key('z', { ctrl: true, shift: false }),
      run: () => labelEditing.undo(),
    },
    {
      keys: 'Ctrl+Y',
      description: 'Redo (also Ctrl+Shift+Z)',
      group: 'Edit',
      matches: (e) => key('y', { ctrl: true })(e) || key('z', { ctrl: true, shift: true })(e),
      run: () => labelEditing.redo(),
    },
    {
      keys: 'Ctrl+S',
      description: 'Save now (edits also save themselves after a pause)',
      group: 'Edit',
      matches: key('s', { ctrl: true }),
      run: () => labelEditing.saveNow(),
    },
    {
      keys: 'L',
      description: 'Show or hide all labels',
      group: 'View',
      matches: key('l', { shift: false }),
      run: () => annotation().toggleAllLabels(),
    },
    {
      keys: '↑ / ↓',
      description: 'Next / previous slice in the active view (also the mouse wheel)',
      group: 'View',
      matches: (e) => (e.key === 'ArrowUp' || e.key === 'ArrowDown') && !e.ctrlKey && !e.metaKey,
      run: () => undefined,
    },
    {
      keys: 'Page Up / Page Down',
      description: 'Ten slices forward / back in the active view',
      group: 'View',
      matches: (e) => e.key === 'PageUp' || e.key === 'PageDown',
      run: () => undefined,
    },
    {
      keys: 'Space',
      description: 'Reset the views (fit, centre)',
      group: 'View',
      matches: (e) => e.key === ' ' && !e.ctrlKey && !e.metaKey,
      run: () => resetViews(),
    },
    ...WINDOW_PRESETS.map((preset, n): Shortcut => ({
      keys: String(n + 1),
      description: `Window preset: ${preset.name}`,
      group: 'View',
      matches: key(String(n + 1), { shift: false }),
      run: () => applyPreset(preset.id),
    })),
    {
      keys: '?',
      description: 'Show or hide this help',
      group: 'Help',
      matches: (e) => e.key === '?' || e.key === 'F1',
      run: () => help.toggle(),
    },
    {
      keys: 'Esc',
      description: 'Close this help',
      group: 'Help',
      matches: (e) => e.key === 'Escape',
      run: () => help.close(),
    },
  ];
}

/** Slice keys need the event itself (which arrow, which Page key). */
export function sliceDelta(event: KeyboardEvent): number {
  switch (event.key) {
    case 'ArrowUp':
      return 1;
    case 'ArrowDown':
      return -1;
    case 'PageUp':
      return 10;
    case 'PageDown':
      return -10;
    default:
      return 0;
  }
}

/** Typing in a field must not trigger shortcuts (except Escape). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'range', 'color'].includes(target.type);
  return false;
}
