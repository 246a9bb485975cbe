// View commands and the app's command list (renderer): slices, reset and window presets of the
// views in view — keys as in 3D Slicer and OHIF (arrows and Page keys change slices, Space resets,
// digits pick W/L presets) — and registerAppCommands(), which registers every feature's commands
// once, in the order the help overlay lists them.
import { plainKey, type KeyBinding } from '../../commands/keys';
import {
  commands,
  storeCondition,
  type AnyCommand,
  type CommandRegistry,
} from '../../commands/registry';
import { annotationCommands } from '../annotation/commands';
import { WINDOW_PRESETS, type WindowPreset } from '../annotation/presets';
import { useAnnotationStore } from '../annotation/store';
import { nextUnannotated } from '../editor/annotatedSlices';
import { editCommands } from '../editor/commands';
import { labelEditing } from '../editor/instance';
import { useEditStore } from '../editor/store';
import { reviewCommands } from '../review/commands';
import { helpCommands } from '../shortcuts/commands';
import { projectCommands } from '../welcome/commands';
import { currentSession } from './sessionBindings';

/** Slice keys work without Ctrl and Alt (Ctrl+Page keys are the browser's). */
const sliceKey = (key: string): KeyBinding => ({ key, ctrl: false, alt: false });

function scroll(delta: number): void {
  currentSession()?.navigation.scroll(useAnnotationStore.getState().activeViewport, delta);
}

/** Moves the active view to its next slice nobody annotated yet (wrapping round). */
function nextUnannotatedSlice(): void {
  const session = currentSession();
  const viewportId = useAnnotationStore.getState().activeViewport;
  const info = session?.navigation.viewInfo(viewportId);
  if (!session || !info) return;
  const { annotated } = useEditStore.getState();
  const index = nextUnannotated(annotated, info.sliceAxis, info.sliceIndex, info.sliceCount);
  if (index === null) {
    useEditStore.setState({ message: 'Every slice of this view is annotated.' });
    return;
  }
  session.navigation.showFileSlice(info.sliceAxis, index);
}

function applyPreset(preset: WindowPreset): void {
  const session = currentSession();
  const header = session?.header;
  if (!session || !header) return;
  const [lower, upper] = preset.range(header);
  session.window.set(lower, upper > lower ? upper : lower + 1);
}

export function viewCommands(): AnyCommand[] {
  return [
    {
      id: 'view.nextSlice',
      label: 'Next slice',
      description: 'Next slice in the active view (also the mouse wheel)',
      group: 'View',
      shortcut: { keys: '↑', bindings: [sliceKey('ArrowUp')] },
      run: () => scroll(1),
    },
    {
      id: 'view.previousSlice',
      label: 'Previous slice',
      description: 'Previous slice in the active view',
      group: 'View',
      shortcut: { keys: '↓', bindings: [sliceKey('ArrowDown')] },
      run: () => scroll(-1),
    },
    {
      id: 'view.tenSlicesForward',
      label: 'Ten slices forward',
      description: 'Ten slices forward in the active view',
      group: 'View',
      shortcut: { keys: 'Page Up', bindings: [sliceKey('PageUp')] },
      run: () => scroll(10),
    },
    {
      id: 'view.tenSlicesBack',
      label: 'Ten slices back',
      description: 'Ten slices back in the active view',
      group: 'View',
      shortcut: { keys: 'Page Down', bindings: [sliceKey('PageDown')] },
      run: () => scroll(-10),
    },
    {
      id: 'view.reset',
      label: 'Reset views',
      description: 'Reset the views (fit, centre)',
      group: 'View',
      shortcut: { keys: 'Space', bindings: [{ key: ' ', ctrl: false }] },
      run: () => currentSession()?.navigation.reset(),
    },
    {
      id: 'view.nextUnannotatedSlice',
      label: 'Next unannotated slice',
      description: 'Go to the next slice of the active view that is not annotated yet',
      group: 'View',
      shortcut: { keys: 'U', bindings: [plainKey('u')] },
      enabled: storeCondition(useEditStore, (s) => s.studyId !== null && !s.loading && !s.final),
      run: nextUnannotatedSlice,
    },
    ...WINDOW_PRESETS.map((preset, n): AnyCommand => ({
      id: `view.preset.${preset.id}`,
      label: preset.name,
      description: `Window preset: ${preset.name}`,
      group: 'View',
      shortcut: { keys: String(n + 1), bindings: [plainKey(String(n + 1))] },
      run: () => applyPreset(preset),
    })),
    {
      id: 'view.setWindow',
      label: 'Set the window',
      group: 'View',
      run: ({ lower, upper }) => {
        if (upper > lower) currentSession()?.window.set(lower, upper);
      },
    },
  ];
}

/** Registers every command of the app once (main.tsx); returns the unregister. */
export function registerAppCommands(registry: CommandRegistry = commands): () => void {
  return registry.register(
    ...annotationCommands(),
    ...editCommands(labelEditing),
    ...viewCommands(),
    ...reviewCommands(),
    ...projectCommands(),
    ...helpCommands(),
  );
}
