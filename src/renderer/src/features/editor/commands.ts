// Edit commands (renderer): undo, redo, save now, slice interpolation and marking a slice done
// in the labelmap in view, registered by id for the toolbar, the keyboard (Ctrl+Z / Ctrl+Y as
// in 3D Slicer and OHIF) and the help overlay. Undo and redo are enabled while there is a step
// to take; "Slice done" while a label (not a proposal, not finished) is open.
import { ctrlKey, plainKey } from '../../commands/keys';
import { storeCondition, type AnyCommand } from '../../commands/registry';
import { useAnnotationStore } from '../annotation/store';
import type { LabelEditing } from './labelEditing';
import { useEditStore } from './store';

export function editCommands(editing: LabelEditing): AnyCommand[] {
  return [
    {
      id: 'edit.interpolate',
      label: 'Interpolate slices',
      description: 'Interpolate the active label between annotated slices of the active view',
      group: 'Edit',
      shortcut: { keys: 'I', bindings: [plainKey('i')] },
      run: () => {
        const { activeLabel, activeViewport } = useAnnotationStore.getState();
        editing.interpolate(activeLabel, activeViewport);
      },
    },
    {
      id: 'edit.toggleSliceDone',
      label: 'Slice done',
      description: 'Mark the slice in the active view annotated — also when it has no structure',
      group: 'Edit',
      shortcut: { keys: 'D', bindings: [plainKey('d')] },
      enabled: storeCondition(
        useEditStore,
        (s) => s.studyId !== null && !s.loading && !s.final && s.review === null,
      ),
      run: () => editing.toggleSliceDoneInView(useAnnotationStore.getState().activeViewport),
    },
    {
      id: 'edit.undo',
      label: 'Undo',
      group: 'Edit',
      shortcut: { keys: 'Ctrl+Z', bindings: [ctrlKey('z', false)] },
      enabled: storeCondition(useEditStore, (s) => s.undoCount > 0),
      run: () => editing.undo(),
    },
    {
      id: 'edit.redo',
      label: 'Redo',
      description: 'Redo (also Ctrl+Shift+Z)',
      group: 'Edit',
      shortcut: { keys: 'Ctrl+Y', bindings: [ctrlKey('y'), ctrlKey('z', true)] },
      enabled: storeCondition(useEditStore, (s) => s.redoCount > 0),
      run: () => editing.redo(),
    },
    {
      id: 'edit.save',
      label: 'Save now',
      description: 'Save now (edits also save themselves after a pause)',
      group: 'Edit',
      shortcut: { keys: 'Ctrl+S', bindings: [ctrlKey('s')] },
      run: () => editing.saveNow(),
    },
  ];
}
